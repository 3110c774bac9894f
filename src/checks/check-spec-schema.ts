import { z } from "zod";
import { closestName } from "../core/closest-name.js";
import { CHECK_KINDS, type CheckKind, type CustomCheckFn } from "./check-spec.js";

// The one grammar of check specs: operators validate definitions with it, the engine before it evaluates.

/** The tabular formats the `rows` check reads, chosen by file extension. */
export type RowFormat = "csv" | "jsonl";

/** The row format of a path, or undefined when the `rows` check cannot read it. */
export function rowFormatOf(path: string): RowFormat | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) return "jsonl";
  return undefined;
}

// Strings are checked, not trimmed: the engine reads a spec as written.
const nonBlank = (message: string) => z.string(message).refine((text) => text.trim() !== "", message);
const path = nonBlank("must be a non-empty relative path");
const count = z.number("must be a non-negative integer").int("must be a non-negative integer").min(0, "must be a non-negative integer").optional();
const NEEDS_NAME = "a custom check needs a name";

/** The body of each check kind: `{ <kind>: <body> }`. Paths are relative to the attempt's working directory. */
export const CHECK_BODIES = {
  nonEmpty: path,
  jsonSchema: z.strictObject({ path, schema: z.union([z.record(z.string(), z.unknown()), z.boolean()], "must be a JSON Schema object") }),
  rowCount: z
    .strictObject({ path, min: count, max: count })
    .refine((body) => body.min === undefined || body.max === undefined || body.min <= body.max, { error: (issue) => minAboveMax(issue.input) }),
  rows: z.strictObject({ path, expr: nonBlank("must be a non-empty expression") }).refine((body) => rowFormatOf(body.path) !== undefined, {
    error: (issue) => `path must name a .csv or .jsonl file, got ${JSON.stringify((issue.input as { path: string }).path)}`,
  }),
  command: z.strictObject({
    run: z.union(
      [
        nonBlank("must not be empty"),
        z
          .array(z.string())
          .min(1)
          .refine((argv) => argv[0] !== "", "its first element must name a program"),
      ],
      "must be a non-empty string array or a shell string",
    ),
    warnExit: z.array(z.number().int().min(1).max(255)).optional(),
  }),
  custom: z.strictObject({
    name: nonBlank(NEEDS_NAME),
    fn: z.custom<CustomCheckFn>((fn) => typeof fn === "function", "a custom check needs a TypeScript function fn (custom checks cannot be written in YAML)"),
  }),
} as const satisfies Record<CheckKind, z.ZodType>;

function minAboveMax(input: unknown): string {
  const { min, max } = input as { min: number; max: number };
  return `min (${min}) is greater than max (${max})`;
}

/** The fields a kind's body may hold (none for `nonEmpty`, whose body is the path). */
export function bodyKeysOf(kind: CheckKind): readonly string[] {
  const body = CHECK_BODIES[kind];
  return body instanceof z.ZodObject ? Object.keys(body.shape) : [];
}

/**
 * The JSON-able check specs (all kinds but `custom`), as written in YAML: `{ nonEmpty: path }`,
 * `{ jsonSchema: { path, schema } }`, `{ rowCount: { path, min?, max? } }`, `{ rows: { path, expr } }`,
 * `{ command: { run, warnExit? } }`.
 */
export const CheckSpecSchema = z.union([
  z.strictObject({ nonEmpty: CHECK_BODIES.nonEmpty }),
  z.strictObject({ jsonSchema: CHECK_BODIES.jsonSchema }),
  z.strictObject({ rowCount: CHECK_BODIES.rowCount }),
  z.strictObject({ rows: CHECK_BODIES.rows }),
  z.strictObject({ command: CHECK_BODIES.command }),
]);
export type JsonCheckSpec = z.infer<typeof CheckSpecSchema>;

/** A spec's outer shape: its kind and body, or what is wrong with it (and whether that is at its kind's key). */
export type CheckSpecShape = { readonly kind: CheckKind; readonly body: unknown } | { readonly problem: string; readonly atKey?: string };

/** Reads a spec's outer shape: an object with exactly one key, naming a known kind. */
export function checkSpecShape(value: unknown): CheckSpecShape {
  if (!isPlainObject(value)) return { problem: `a check is an object with one key naming its kind (${CHECK_KINDS.join(", ")}), got ${describe(value)}` };
  const keys = Object.keys(value);
  if (keys.length !== 1) return { problem: `a check has exactly one key, which names exactly one kind; found ${keys.length === 0 ? "none" : keys.join(", ")}` };
  const key = keys[0] as string;
  if (!(CHECK_KINDS as readonly string[]).includes(key)) {
    const near = closestName(key, CHECK_KINDS);
    return {
      problem: `unknown check kind "${key}"; ${near === undefined ? `expected one of ${CHECK_KINDS.join(", ")}` : `did you mean ${near}?`}`,
      atKey: key,
    };
  }
  return { kind: key as CheckKind, body: value[key] };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return typeof value;
}
