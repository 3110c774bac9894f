import type { z } from "zod";
import type { Issue } from "../core/errors.js";
import { issuesFromZod, unknownKeyMessage } from "../core/issues-from-zod.js";

type Schemas = Readonly<Record<string, z.ZodType>>;

/** The fields of a YAML mapping that parsed, by key. */
export type YamlFields<T extends Schemas> = { -readonly [K in keyof T]?: z.output<T[K]> };

/**
 * Reads a YAML mapping field by field with one zod schema per key, so one bad field never hides
 * the others: a key not in `schemas` is ERR_SCHEMA at `base.<key>` suggesting the closest known
 * key, a field its schema rejects is ERR_SCHEMA at `base.<key>…` and is left out of `fields`.
 */
export function readYamlFields<T extends Schemas>(
  value: Readonly<Record<string, unknown>>,
  schemas: T,
  base: readonly (string | number)[],
): { fields: YamlFields<T>; issues: Issue[] } {
  const fields: Record<string, unknown> = {};
  const issues: Issue[] = [];
  const known = Object.keys(schemas);
  for (const [key, raw] of Object.entries(value)) {
    const schema = Object.hasOwn(schemas, key) ? schemas[key] : undefined;
    if (schema === undefined) {
      issues.push({ code: "ERR_SCHEMA", path: [...base, key], message: unknownKeyMessage(key, known) });
      continue;
    }
    const parsed = schema.safeParse(raw);
    if (parsed.success) fields[key] = parsed.data;
    else issues.push(...issuesFromZod(parsed.error, "ERR_SCHEMA", [...base, key]).map((issue) => ({ ...issue, message: `${key}: ${issue.message}` })));
  }
  return { fields: fields as YamlFields<T>, issues };
}

/** Whether a parsed YAML value is a mapping (not null, not a sequence). */
export function isYamlMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
