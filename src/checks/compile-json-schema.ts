import type { Ajv2020 } from "ajv/dist/2020.js";
import type { ValidateFunction } from "ajv/dist/2020.js";
import { canonicalJson } from "../core/canonical-json.js";
import { RunledgerError } from "../core/errors.js";
import { lazyRequire } from "../core/lazy-require.js";
import type { JsonSchemaDocument } from "./check-spec.js";

const ajvModule = lazyRequire<{ Ajv2020: typeof Ajv2020 }>("ajv/dist/2020.js");
let instance: Ajv2020 | undefined;

/** ajv, loaded on first use: few pipelines check JSON Schemas. */
function ajv(): Ajv2020 {
  if (!instance) {
    const { Ajv2020: Ajv } = ajvModule();
    // addUsedSchema: false keeps two different schemas that share an $id from colliding in the instance.
    instance = new Ajv({ allErrors: true, strict: false, addUsedSchema: false, logger: false });
  }
  return instance;
}
const cache = new Map<string, ValidateFunction>();
const CACHE_LIMIT = 512;

/**
 * Compiles a draft 2020-12 JSON Schema with ajv (all errors reported; unknown keywords and formats
 * are ignored rather than rejected), once per distinct schema: compiled validators are cached by the
 * schema's canonical JSON. Throws ERR_CHECK_INVALID when the schema is not JSON or does not compile.
 */
export function compileJsonSchema(schema: JsonSchemaDocument): ValidateFunction {
  let key: string;
  try {
    key = canonicalJson(schema);
  } catch (error) {
    throw new RunledgerError("ERR_CHECK_INVALID", { detail: `jsonSchema.schema is not JSON: ${(error as Error).message}`, cause: error });
  }
  const cached = cache.get(key);
  if (cached) return cached;
  let validate: ValidateFunction;
  try {
    validate = ajv().compile(schema as object | boolean);
  } catch (error) {
    throw new RunledgerError("ERR_CHECK_INVALID", { detail: `jsonSchema.schema does not compile: ${(error as Error).message}`, cause: error });
  }
  // A crude bound: operators declare few schemas, so clearing is rare and only costs recompiles.
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, validate);
  return validate;
}
