import { RunledgerError } from "./errors.js";

/** A value that survives a JSON round trip unchanged. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * Serializes a value as RFC 8785 (JCS) canonical JSON: object keys sorted by UTF-16 code units, no
 * whitespace, strings and numbers as ECMAScript's JSON.stringify writes them; so the same value gives
 * the same bytes, and the same digest, on every machine. Rejects what JSON cannot carry (undefined at
 * the top or in arrays, functions, NaN, Infinity, BigInt, lone surrogates) with ERR_CANONICAL_JSON
 * naming the path. Written out rather than taken from the `canonicalize` package because it runs on
 * every ledger append: values whose keys are already in order go straight to native
 * JSON.stringify, about three times faster. Tests hold it byte-equal to that package.
 */
export function canonicalJson(value: unknown): string {
  const shape = inspect(value);
  if (shape === SORTED) return JSON.stringify(value);
  if (shape === UNSORTED) return write(value);
  throw new RunledgerError("ERR_CANONICAL_JSON", { detail: findNonJson(value, "$") ?? "$ is not JSON" });
}

const NOT_JSON = 0;
/** JSON whose objects all list their keys in sorted order: native JSON.stringify is already canonical. */
const SORTED = 1;
/** JSON with some object out of order, or a toJSON method: serialized by the general writer. */
const UNSORTED = 2;

const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function badString(value: string): boolean {
  return SURROGATE.test(value) && LONE_SURROGATE.test(value);
}

/** One walk that rejects non-JSON and tells whether native serialization is canonical as it is. */
function inspect(value: unknown): number {
  switch (typeof value) {
    case "string":
      return badString(value) ? NOT_JSON : SORTED;
    case "boolean":
      return SORTED;
    case "number":
      return Number.isFinite(value) ? SORTED : NOT_JSON;
    case "object": {
      if (value === null) return SORTED;
      let shape = SORTED;
      if (Array.isArray(value)) {
        for (const item of value) {
          const inner = item === undefined ? NOT_JSON : inspect(item);
          if (inner === NOT_JSON) return NOT_JSON;
          if (inner === UNSORTED) shape = UNSORTED;
        }
        return shape;
      }
      if (typeof (value as { toJSON?: unknown }).toJSON === "function") return inspect(toJson(value)) === NOT_JSON ? NOT_JSON : UNSORTED;
      let previous: string | undefined;
      for (const key of Object.keys(value)) {
        const item = (value as Record<string, unknown>)[key];
        if (item === undefined) continue;
        if (badString(key)) return NOT_JSON;
        if (previous !== undefined && key < previous) shape = UNSORTED;
        previous = key;
        const inner = inspect(item);
        if (inner === NOT_JSON) return NOT_JSON;
        if (inner === UNSORTED) shape = UNSORTED;
      }
      return shape;
    }
    default:
      return NOT_JSON;
  }
}

function toJson(value: object): unknown {
  return (value as { toJSON: () => unknown }).toJSON();
}

/**
 * The general serializer for values native serialization would get wrong: keys out of order, or
 * integer-like keys, which JavaScript objects always enumerate first whatever their insertion order.
 */
function write(value: unknown): string {
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(write).join(",")}]`;
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return write(toJson(value));
  const members: string[] = [];
  for (const key of Object.keys(value).sort()) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined) members.push(`${JSON.stringify(key)}:${write(item)}`);
  }
  return `{${members.join(",")}}`;
}

/** The slow walk that runs only after a failure, to say where and what. */
function findNonJson(value: unknown, path: string): string | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? undefined : `${path} is ${value}`;
  if (typeof value === "string") return badString(value) ? `${path} holds a lone surrogate` : undefined;
  if (typeof value !== "object") return typeof value === "boolean" ? undefined : `${path} is ${typeof value}`;
  if (value === null) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNonJson(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  const json = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof json === "function") return findNonJson(json.call(value), path);
  for (const [key, item] of Object.entries(value)) {
    if (badString(key)) return `${path} has a key with a lone surrogate`;
    const found = item === undefined ? undefined : findNonJson(item, `${path}.${key}`);
    if (found) return found;
  }
  return undefined;
}
