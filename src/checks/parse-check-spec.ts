import { RunledgerError } from "../core/errors.js";
import { CHECK_KINDS } from "./check-spec.js";
import type { CheckKind, CustomCheckFn, JsonSchemaDocument } from "./check-spec.js";

/** The tabular formats the `rows` check reads, chosen by file extension. */
export type RowFormat = "csv" | "jsonl";

/** A check spec after validation, normalized for evaluation; `name` is the result's name. */
export type ParsedCheck =
  | { readonly kind: "nonEmpty"; readonly name: string; readonly path: string }
  | { readonly kind: "jsonSchema"; readonly name: string; readonly path: string; readonly schema: JsonSchemaDocument }
  | { readonly kind: "rowCount"; readonly name: string; readonly path: string; readonly min: number | undefined; readonly max: number | undefined }
  | { readonly kind: "rows"; readonly name: string; readonly path: string; readonly format: RowFormat; readonly expr: string }
  | { readonly kind: "command"; readonly name: string; readonly argv: readonly string[]; readonly warnExit: readonly number[] }
  | { readonly kind: "custom"; readonly name: string; readonly fn: CustomCheckFn };

/** The row format of a path, or undefined when the `rows` check cannot read it. */
export function rowFormatOf(path: string): RowFormat | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) return "jsonl";
  return undefined;
}

/**
 * Validates a check spec (an object with exactly one key naming the kind) and normalizes it.
 * Throws ERR_CHECK_INVALID with a detail naming the problem for an unknown kind or a bad shape.
 * Paths are only checked to be non-empty strings here: a path outside the directory is a FAIL at
 * evaluation, not a definition error.
 */
export function parseCheckSpec(spec: unknown): ParsedCheck {
  if (!isPlainObject(spec)) invalid(`a check is an object with one key naming its kind, got ${describe(spec)}`);
  const keys = Object.keys(spec);
  if (keys.length !== 1) invalid(`a check has exactly one key naming its kind, got ${keys.length} (${keys.join(", ")})`);
  const kind = keys[0] as string;
  if (!(CHECK_KINDS as readonly string[]).includes(kind)) {
    invalid(`unknown check kind "${kind}" (expected one of ${CHECK_KINDS.join(", ")})`);
  }
  return parseBody(kind as CheckKind, spec[kind]);
}

function parseBody(kind: CheckKind, body: unknown): ParsedCheck {
  switch (kind) {
    case "nonEmpty": {
      const path = requirePath(kind, body);
      return { kind, name: `${kind}:${path}`, path };
    }
    case "jsonSchema": {
      const o = requireObject(kind, body, ["path", "schema"]);
      const path = requirePath(`${kind}.path`, o.path);
      const schema = o.schema;
      if (typeof schema !== "boolean" && !isPlainObject(schema)) invalid(`${kind}.schema must be a JSON Schema object, got ${describe(schema)}`);
      return { kind, name: `${kind}:${path}`, path, schema };
    }
    case "rowCount": {
      const o = requireObject(kind, body, ["path", "min", "max"]);
      const path = requirePath(`${kind}.path`, o.path);
      const min = optionalCount(`${kind}.min`, o.min);
      const max = optionalCount(`${kind}.max`, o.max);
      if (min !== undefined && max !== undefined && min > max) invalid(`${kind}.min (${min}) is greater than ${kind}.max (${max})`);
      return { kind, name: `${kind}:${path}`, path, min, max };
    }
    case "rows": {
      const o = requireObject(kind, body, ["path", "expr"]);
      const path = requirePath(`${kind}.path`, o.path);
      const format = rowFormatOf(path);
      if (format === undefined) invalid(`${kind}.path must name a .csv or .jsonl file, got "${path}"`);
      if (typeof o.expr !== "string" || o.expr.trim() === "") invalid(`${kind}.expr must be a non-empty expression, got ${describe(o.expr)}`);
      return { kind, name: `${kind}:${path}`, path, format, expr: o.expr };
    }
    case "command": {
      const o = requireObject(kind, body, ["run", "warnExit"]);
      const argv = commandArgv(o.run);
      const warnExit = optionalExitCodes(o.warnExit);
      const line = typeof o.run === "string" ? o.run : argv.join(" ");
      return { kind, name: `${kind}:${shortLine(line)}`, argv, warnExit };
    }
    case "custom": {
      const o = requireObject(kind, body, ["name", "fn"]);
      if (typeof o.name !== "string" || o.name.trim() === "") invalid(`custom.name must be a non-empty string, got ${describe(o.name)}`);
      if (typeof o.fn !== "function") invalid(`custom.fn must be a function, got ${describe(o.fn)}`);
      return { kind, name: o.name, fn: o.fn as CustomCheckFn };
    }
  }
}

function commandArgv(run: unknown): readonly string[] {
  if (typeof run === "string") {
    if (run.trim() === "") invalid("command.run must not be empty");
    return ["sh", "-c", run];
  }
  if (!Array.isArray(run) || run.length === 0 || !run.every((a): a is string => typeof a === "string")) {
    invalid(`command.run must be a non-empty string array or a shell string, got ${describe(run)}`);
  }
  if (run[0] === "") invalid("command.run[0] must name a program");
  return run;
}

function optionalExitCodes(value: unknown): readonly number[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((c) => Number.isInteger(c) && c >= 0 && c <= 255)) {
    invalid(`command.warnExit must be an array of exit codes 0..255, got ${describe(value)}`);
  }
  return value as number[];
}

function optionalCount(label: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) invalid(`${label} must be a non-negative integer, got ${describe(value)}`);
  return value;
}

function requirePath(label: string, value: unknown): string {
  if (typeof value !== "string" || value.trim() === "") invalid(`${label} must be a non-empty relative path, got ${describe(value)}`);
  return value;
}

function requireObject(kind: CheckKind, body: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (!isPlainObject(body)) invalid(`${kind} takes an object with ${allowed.join(", ")}, got ${describe(body)}`);
  const extra = Object.keys(body).filter((k) => !allowed.includes(k));
  if (extra.length > 0) invalid(`${kind} has unknown field(s) ${extra.join(", ")} (allowed: ${allowed.join(", ")})`);
  return body;
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

function invalid(detail: string): never {
  throw new RunledgerError("ERR_CHECK_INVALID", { detail });
}

/** A command check is named by its first line, at most 80 characters: a multi-line script stays readable. */
function shortLine(line: string): string {
  const first = line.trim().split("\n")[0]?.trim() ?? "";
  return first.length > 80 ? `${first.slice(0, 77)}...` : first;
}
