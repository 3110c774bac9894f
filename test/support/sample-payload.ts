import { z } from "zod";

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  minItems?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  exclusiveMinimum?: number;
};

/** Values for constrained strings: a free string carries the text given instead. */
const FIXED: Record<string, string> = {
  "^sha256:[0-9a-f]{64}$": `sha256:${"ab".repeat(32)}`,
};

/**
 * A value valid against `schema` in which every free string (and every record key) is `text`, so a
 * test can see where that text ends up. Strings with a pattern, a format or an enum get a fixed valid
 * value; numbers their minimum.
 */
export function samplePayload(schema: z.ZodType, text: string): unknown {
  return sample(z.toJSONSchema(schema, { unrepresentable: "any", io: "input" }) as JsonSchema, text);
}

function sample(schema: JsonSchema, text: string): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const options = schema.anyOf ?? schema.oneOf;
  if (options) return sample(options.find((o) => o.type !== "null") ?? (options[0] as JsonSchema), text);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  switch (type) {
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [key, property] of Object.entries(schema.properties ?? {})) out[key] = sample(property, text);
      if (typeof schema.additionalProperties === "object") out[text] = sample(schema.additionalProperties, text);
      return out;
    }
    case "array":
      return [sample(schema.items ?? {}, text)];
    case "string":
      return stringFor(schema, text);
    case "integer":
    case "number":
      return schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1);
    case "boolean":
      return true;
    case "null":
      return null;
    default:
      // Free JSON (evidence, before/after): a string is as free as anything.
      return text;
  }
}

function stringFor(schema: JsonSchema, text: string): string {
  if (schema.format === "date-time") return "2026-01-02T03:04:05.000Z";
  if (schema.pattern !== undefined) {
    const fixed = FIXED[schema.pattern];
    if (fixed === undefined) throw new Error(`no sample for the pattern ${schema.pattern}`);
    return fixed;
  }
  return schema.maxLength !== undefined && schema.maxLength < text.length ? text.slice(0, schema.maxLength) : text;
}
