import { z } from "zod";
import type { Issue } from "../core/errors.js";
import { issuesFromZod } from "../core/issues-from-zod.js";

const strings = z.array(z.string(), { error: "expected a list of strings" });
const fn = z.custom<(...args: unknown[]) => unknown>((value) => typeof value === "function", { error: "expected a function" });
const argv = z.union([z.string(), strings], { error: "expected a command string or a list of strings" });

/**
 * The JavaScript types of an operator spec's fields, checked before the spec is built: a caller
 * without TypeScript (a `.mjs` pipeline) gets ERR_SCHEMA issues naming the field, never a TypeError.
 * Values (ids, durations, checks, outputs) are checked later by buildOperator and validateOperator.
 */
const OperatorSpecShape = z.looseObject({
  kind: z.string().optional(),
  description: z.string().optional(),
  modes: strings.optional(),
  outputs: strings.optional(),
  checks: z.array(z.unknown(), { error: "expected a list of checks" }).optional(),
  timeout: z.union([z.string(), z.number()], { error: 'expected a duration such as "10m", or milliseconds' }).optional(),
  retries: z.number().optional(),
  env: z.record(z.string(), z.string(), { error: "expected a mapping of names to string values" }).optional(),
  effects: strings.optional(),
  secrets: strings.optional(),
  evidence: strings.optional(),
  run: fn.optional(),
  mock: fn.optional(),
  command: argv.optional(),
  mockCommand: argv.optional(),
});

/** ERR_SCHEMA issues for fields of an operator spec whose JavaScript type is wrong; [] when the shape is right. */
export function operatorSpecShapeIssues(spec: unknown): Issue[] {
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) {
    return [{ code: "ERR_SCHEMA", path: [], message: "an operator spec must be an object with id, version, timeout and run or command" }];
  }
  const parsed = OperatorSpecShape.safeParse(spec);
  return parsed.success ? [] : issuesFromZod(parsed.error, "ERR_SCHEMA", []);
}
