import { z } from "zod";
import { isRunledgerError, type Issue } from "../core/errors.js";
import { CHECK_KINDS, type CheckKind, type CheckSpec } from "../checks/check-spec.js";
import { parseCheckSpec } from "../checks/parse-check-spec.js";
import { closestName } from "./closest-name.js";
import { issuesFromZod } from "./issues-from-zod.js";

// The check types belong to the checks engine that evaluates them; operators declare them.
export { CHECK_KINDS, type CheckKind, type CheckSpec };
export type { CustomCheckContext, CustomCheckFn, CustomCheckSpec } from "../checks/check-spec.js";

const path = z.string().trim().min(1);

/** The configuration of each JSON-able check kind (everything but `custom`). */
const CHECK_BODIES = {
  nonEmpty: path,
  jsonSchema: z.strictObject({ path, schema: z.union([z.record(z.string(), z.unknown()), z.boolean()]) }),
  rowCount: z
    .strictObject({ path, min: z.number().int().min(0).optional(), max: z.number().int().min(0).optional() })
    .refine((body) => body.min === undefined || body.max === undefined || body.min <= body.max, { message: "min must not exceed max" }),
  rows: z.strictObject({ path, expr: z.string().trim().min(1) }),
  command: z.strictObject({
    run: z.union([z.string().trim().min(1), z.array(z.string()).min(1)]),
    warnExit: z.array(z.number().int().min(1).max(255)).optional(),
  }),
} as const;

const BODY_KEYS: Readonly<Record<keyof typeof CHECK_BODIES, readonly string[]>> = {
  nonEmpty: [],
  jsonSchema: ["path", "schema"],
  rowCount: ["path", "min", "max"],
  rows: ["path", "expr"],
  command: ["run", "warnExit"],
};

/**
 * The JSON-able check specs (all kinds but `custom`), as written in YAML: `{ nonEmpty: path }`,
 * `{ jsonSchema: { path, schema } }`, `{ rowCount: { path, min?, max? } }`, `{ rows: { path, expr } }`,
 * `{ command: { run, warnExit? } }`. Paths are relative to the attempt's working directory.
 */
export const CheckSpecSchema = z.union([
  z.strictObject({ nonEmpty: CHECK_BODIES.nonEmpty }),
  z.strictObject({ jsonSchema: CHECK_BODIES.jsonSchema }),
  z.strictObject({ rowCount: CHECK_BODIES.rowCount }),
  z.strictObject({ rows: CHECK_BODIES.rows }),
  z.strictObject({ command: CHECK_BODIES.command }),
]);
export type JsonCheckSpec = z.infer<typeof CheckSpecSchema>;

/** The kind of a well-formed check spec. */
export function checkKindOf(spec: CheckSpec): CheckKind {
  return Object.keys(spec)[0] as CheckKind;
}

/**
 * Every problem of one check spec as ERR_CHECK_INVALID issues under `base`: not an object, not
 * exactly one key, an unknown kind (with the closest kind suggested), or a malformed body. A spec
 * passing here is also accepted by the checks engine's `parseCheckSpec`, which has the last word.
 */
export function checkSpecIssues(value: unknown, base: readonly (string | number)[] = []): Issue[] {
  const invalid = (message: string, at: readonly (string | number)[] = base): Issue[] => [{ code: "ERR_CHECK_INVALID", path: [...at], message }];
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return invalid(`a check is an object with one key naming its kind (${CHECK_KINDS.join(", ")})`);
  }
  const keys = Object.keys(value);
  if (keys.length !== 1) return invalid(`a check names exactly one kind, found ${keys.length === 0 ? "none" : keys.join(", ")}`);
  const kind = keys[0] as string;
  const body = (value as Record<string, unknown>)[kind];
  if (kind === "custom") {
    const issues = customIssues(body, [...base, kind]);
    return issues.length > 0 ? issues : engineIssues(value, [...base, kind]);
  }
  if (!Object.hasOwn(CHECK_BODIES, kind)) {
    const near = closestName(kind, CHECK_KINDS);
    const hint = near === undefined ? `expected one of ${CHECK_KINDS.join(", ")}` : `did you mean ${near}?`;
    return invalid(`unknown check kind "${kind}"; ${hint}`, [...base, kind]);
  }
  const known = kind as keyof typeof CHECK_BODIES;
  const parsed = CHECK_BODIES[known].safeParse(body);
  if (!parsed.success) return issuesFromZod(parsed.error, "ERR_CHECK_INVALID", [...base, kind], BODY_KEYS[known]);
  return engineIssues(value, [...base, kind]);
}

/** What the checks engine still refuses, e.g. a `rows` path that is neither .csv nor .jsonl. */
function engineIssues(value: unknown, at: readonly (string | number)[]): Issue[] {
  try {
    parseCheckSpec(value);
    return [];
  } catch (error) {
    if (!isRunledgerError(error)) throw error;
    return [{ code: "ERR_CHECK_INVALID", path: [...at], message: error.detail ?? error.message }];
  }
}

function customIssues(body: unknown, at: readonly (string | number)[]): Issue[] {
  const record = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const issues: Issue[] = [];
  if (typeof record["name"] !== "string" || record["name"].trim() === "") {
    issues.push({ code: "ERR_CHECK_INVALID", path: [...at, "name"], message: "a custom check needs a name" });
  }
  if (typeof record["fn"] !== "function") {
    issues.push({ code: "ERR_CHECK_INVALID", path: [...at, "fn"], message: "a custom check needs a TypeScript function fn (custom checks cannot be written in YAML)" });
  }
  return issues;
}
