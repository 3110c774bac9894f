import { canonicalJson } from "../core/canonical-json.js";
import { RunledgerError, type Issue } from "../core/errors.js";
import { validationError } from "../core/validation-error.js";
import { OperatorIdSchema, OperatorRefSchema } from "../contracts/common.js";
import { TaskNameSchema } from "../contracts/pipeline.js";
import { issuesFromZod } from "../core/issues-from-zod.js";
import type { OperatorDefinition } from "../operators/operator-definition.js";
import type { OperatorRegistry } from "../operators/operator-registry.js";
import { validateOperator } from "../operators/validate-operator.js";
import type { PipelineDefinition, PipelineTask } from "./define-pipeline.js";
import { findDagIssues } from "./find-dag-issues.js";

/**
 * Every problem of a pipeline definition, never stopping at the first: names (ERR_SCHEMA), graph
 * (ERR_UNKNOWN_NEEDS, ERR_DAG_CYCLE), each task's operator (ERR_UNKNOWN_OPERATOR when a string ref
 * does not resolve in `registry`; the invariants of `validateOperator` under `tasks.<task>`;
 * ERR_MODE_ILLEGAL when the pipeline's mode is not among the operator's modes) and params
 * (ERR_INPUTS at `tasks.<task>.params.<field>` when the operator's input schema rejects them).
 * Without a registry, string refs are only checked for their form.
 */
export function validatePipeline(def: PipelineDefinition, registry?: OperatorRegistry): Issue[] {
  const issues: Issue[] = [];
  if (typeof def.name !== "string" || !TaskNameSchema.safeParse(def.name).success) {
    issues.push({
      code: "ERR_SCHEMA",
      path: ["name"],
      message: `pipeline name ${JSON.stringify(def.name)}: expected letters, digits, '.', '_' or '-', starting with a letter or digit`,
    });
  }
  if (typeof def.mode !== "string" || def.mode === "") {
    issues.push({ code: "ERR_SCHEMA", path: ["mode"], message: "mode must name a work mode, e.g. PIPELINE" });
  }
  if (Object.keys(def.tasks).length === 0) {
    issues.push({ code: "ERR_SCHEMA", path: ["tasks"], message: `pipeline ${def.name} has no tasks` });
  }
  for (const [name, task] of Object.entries(def.tasks)) issues.push(...taskIssues(def, name, task, registry));
  issues.push(...findDagIssues(def.tasks));
  return issues;
}

/** Throws ERR_VALIDATION with every issue `validatePipeline` finds; returns the definition when there are none. */
export function assertValidPipeline(def: PipelineDefinition, registry?: OperatorRegistry): PipelineDefinition {
  const issues = validatePipeline(def, registry);
  if (issues.length > 0) {
    throw validationError(issues, def.source === "typescript" ? `pipeline ${def.name}` : def.source);
  }
  return def;
}

function taskIssues(def: PipelineDefinition, name: string, task: PipelineTask, registry: OperatorRegistry | undefined): Issue[] {
  const issues: Issue[] = [];
  const at = (...rest: (string | number)[]): (string | number)[] => ["tasks", name, ...rest];
  if (!TaskNameSchema.safeParse(name).success) {
    issues.push({
      code: "ERR_SCHEMA",
      path: at(),
      message: `task name ${JSON.stringify(name)}: expected letters, digits, '.', '_' or '-', starting with a letter or digit`,
    });
  }
  if (task.retries !== undefined && (!Number.isSafeInteger(task.retries) || task.retries < 0)) {
    issues.push({ code: "ERR_SCHEMA", path: at("retries"), message: `task ${name} has retries ${String(task.retries)}; expected a whole number ≥ 0` });
  }
  if (task.maxStalenessMs !== undefined && !(task.maxStalenessMs > 0)) {
    issues.push({
      code: "ERR_SCHEMA",
      path: at("maxStaleness"),
      message: `task ${name} has maxStaleness ${String(task.maxStalenessMs)} ms; expected a positive duration`,
    });
  }
  try {
    canonicalJson(task.params);
  } catch (error) {
    issues.push({
      code: "ERR_SCHEMA",
      path: at("params"),
      message: `task ${name} params are not JSON: ${error instanceof RunledgerError ? (error.detail ?? error.message) : String(error)}`,
    });
  }

  const op = resolveOperator(task.operator, registry);
  if (typeof op === "string") {
    issues.push({
      code: typeof task.operator === "string" && isRefLike(task.operator) ? "ERR_UNKNOWN_OPERATOR" : "ERR_SCHEMA",
      path: at("operator"),
      message: `task ${name}: ${op}`,
    });
    return issues;
  }
  if (op === undefined) return issues;
  issues.push(...validateOperator(op, at()));
  if (Array.isArray(op.modes) && op.modes.length > 0 && !op.modes.includes(def.mode)) {
    issues.push({
      code: "ERR_MODE_ILLEGAL",
      path: at("operator"),
      message: `operator ${op.ref} is not legal in work mode ${def.mode} (legal in ${op.modes.join(", ")})`,
    });
  }
  const parsed = op.input.safeParse(task.params);
  if (!parsed.success) {
    for (const issue of issuesFromZod(parsed.error, "ERR_INPUTS", at("params"))) {
      issues.push({ ...issue, message: `invalid inputs payload for operator ${op.ref}: ${issue.message}` });
    }
  }
  return issues;
}

function isRefLike(ref: string): boolean {
  return OperatorRefSchema.safeParse(ref).success || OperatorIdSchema.safeParse(ref).success;
}

/** The operator to check, undefined when a string ref can only be checked later, or a message saying why it cannot be used. */
function resolveOperator(operator: OperatorDefinition | string, registry: OperatorRegistry | undefined): OperatorDefinition | string | undefined {
  if (typeof operator !== "string") {
    return typeof operator === "object" && operator !== null ? operator : "operator must be an operator definition or a reference id@version";
  }
  if (!isRefLike(operator)) return `operator reference ${JSON.stringify(operator)}: expected <id>@<version> or <id>`;
  if (registry === undefined) return undefined;
  return registry.resolve(operator) ?? `unknown operator ${operator}; register it, or fix the reference`;
}
