import type { z } from "zod";
import { RunledgerError } from "../core/errors.js";
import type { CheckKind, CustomCheckFn, JsonSchemaDocument } from "./check-spec.js";
import { bodyKeysOf, CHECK_BODIES, checkSpecShape, rowFormatOf, type RowFormat } from "./check-spec-schema.js";

/** A check spec after validation, normalized for evaluation; `name` is the result's name. */
export type ParsedCheck =
  | { readonly kind: "nonEmpty"; readonly name: string; readonly path: string }
  | { readonly kind: "jsonSchema"; readonly name: string; readonly path: string; readonly schema: JsonSchemaDocument }
  | { readonly kind: "rowCount"; readonly name: string; readonly path: string; readonly min: number | undefined; readonly max: number | undefined }
  | { readonly kind: "rows"; readonly name: string; readonly path: string; readonly format: RowFormat; readonly expr: string }
  | { readonly kind: "command"; readonly name: string; readonly argv: readonly string[]; readonly warnExit: readonly number[] }
  | { readonly kind: "custom"; readonly name: string; readonly fn: CustomCheckFn };

/**
 * Validates a check spec against the check grammar (check-spec-schema.ts) and normalizes it.
 * Throws ERR_CHECK_INVALID with a detail naming the first problem. Paths are only checked to be
 * non-empty here: a path outside the directory is a FAIL at evaluation, not a definition error.
 */
export function parseCheckSpec(spec: unknown): ParsedCheck {
  const shape = checkSpecShape(spec);
  if ("problem" in shape) throw invalid(shape.problem);
  const { kind, body } = shape;
  switch (kind) {
    case "nonEmpty": {
      const path = read(kind, body);
      return { kind, name: `${kind}:${path}`, path };
    }
    case "jsonSchema": {
      const { path, schema } = read(kind, body);
      return { kind, name: `${kind}:${path}`, path, schema };
    }
    case "rowCount": {
      const { path, min, max } = read(kind, body);
      return { kind, name: `${kind}:${path}`, path, min, max };
    }
    case "rows": {
      const { path, expr } = read(kind, body);
      return { kind, name: `${kind}:${path}`, path, format: rowFormatOf(path)!, expr };
    }
    case "command": {
      const { run, warnExit = [] } = read(kind, body);
      const argv = typeof run === "string" ? ["sh", "-c", run] : run;
      return { kind, name: `${kind}:${shortLine(typeof run === "string" ? run : argv.join(" "))}`, argv, warnExit };
    }
    case "custom": {
      const { name, fn } = read(kind, body);
      return { kind, name, fn };
    }
  }
}

/** A kind's body as the grammar reads it (unchanged: it checks, it does not transform), or ERR_CHECK_INVALID. */
function read<K extends CheckKind>(kind: K, body: unknown): z.output<(typeof CHECK_BODIES)[K]> {
  const parsed = CHECK_BODIES[kind].safeParse(body);
  if (!parsed.success) throw invalid(describeIssue(kind, parsed.error.issues[0]!));
  return parsed.data as z.output<(typeof CHECK_BODIES)[K]>;
}

/** One problem of a body as a detail: `rowCount.min: must be a non-negative integer`. */
function describeIssue(kind: CheckKind, issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") return `${kind} has unknown field(s) ${issue.keys.join(", ")} (allowed: ${bodyKeysOf(kind).join(", ")})`;
  return `${[kind, ...issue.path.map(String)].join(".")}: ${issue.message}`;
}

function invalid(detail: string): RunledgerError {
  return new RunledgerError("ERR_CHECK_INVALID", { detail });
}

/** A command check is named by its first line, at most 80 characters: a multi-line script stays readable. */
function shortLine(line: string): string {
  const first = line.trim().split("\n")[0]?.trim() ?? "";
  return first.length > 80 ? `${first.slice(0, 77)}...` : first;
}
