import { z } from "zod";
import { RunledgerError, type Issue } from "../core/errors.js";
import { validationError } from "../core/validation-error.js";
import { OperatorIdSchema, OperatorVersionSchema } from "../contracts/common.js";
import { parseDuration } from "../core/duration.js";
import type { GateSpec } from "./gate-spec.js";
import type { CheckSpec } from "../checks/check-spec.js";
import { normalizeOutputPath } from "./normalize-output-path.js";
import { operatorSpecShapeIssues } from "./operator-spec-shape.js";
import type { ManualPerformer, OperatorDefinition, OperatorFn, OperatorKind } from "./operator-definition.js";
import { validateOperator } from "./validate-operator.js";

/** The work mode an operator is legal in when it names none. */
export const DEFAULT_OPERATOR_MODES = ["PIPELINE"] as const;

/** What `defineOperator` takes; see `OperatorDefinition` for the meaning of each field. */
export interface OperatorSpec<S extends z.ZodType = z.ZodType<Record<string, never>>> {
  readonly id: string;
  readonly version: string;
  /** Inferred when absent: `command` when a command is given, `manual` when steps are, else `function`. */
  readonly kind?: OperatorKind;
  readonly description?: string;
  /** Default `["PIPELINE"]`. */
  readonly modes?: readonly string[];
  /** Default: an object schema that accepts no keys. */
  readonly input?: S;
  readonly outputs?: readonly string[];
  readonly checks?: readonly CheckSpec[];
  /** Required: a duration (`"30s"`, `"5m"`) or milliseconds. */
  readonly timeout?: string | number;
  readonly retries?: number;
  readonly env?: Readonly<Record<string, string>>;
  readonly effects?: readonly string[];
  readonly secrets?: readonly string[];
  /** Config name → file path; see `OperatorDefinition.configs`. */
  readonly configs?: Readonly<Record<string, string>>;
  readonly evidence?: readonly string[];
  readonly run?: OperatorFn<z.output<S>>;
  /** An argv, or a string run by `sh -c`. */
  readonly command?: readonly string[] | string;
  readonly mock?: OperatorFn<z.output<S>>;
  /** For a command operator: the argv (or `sh -c` string) its mock runs instead of `command`. */
  readonly mockCommand?: readonly string[] | string;
  /** For a manual operator: the steps a person or an LLM performs; the declared outputs are the evidence files they record. */
  readonly steps?: readonly string[];
  /** For a manual operator: who performs the steps. Default human. */
  readonly by?: ManualPerformer;
  /** For a gate's operator (built from a YAML `gate:` task). */
  readonly gate?: GateSpec;
}

/**
 * Defines an operator version and returns it frozen, with defaults applied (modes `["PIPELINE"]`,
 * retries 0, empty env/effects/secrets/evidence, outputs normalized). Throws ERR_VALIDATION
 * carrying every problem at once (paths name the spec's keys), e.g. ERR_NO_TIMEBOX when `timeout`
 * is missing: a TypeScript operator must choose its timebox.
 */
export function defineOperator<S extends z.ZodType = z.ZodType<Record<string, never>>>(spec: OperatorSpec<S>): OperatorDefinition<z.output<S>> {
  const shape = operatorSpecShapeIssues(spec);
  if (shape.length > 0)
    throw validationError(shape, `operator ${typeof (spec as { id?: unknown } | null)?.id === "string" ? (spec as { id: string }).id : "(without an id)"}`);
  const { operator, issues } = buildOperator(spec);
  if (issues.length > 0) {
    throw validationError(issues, `operator ${operator.ref}`);
  }
  return operator;
}

/**
 * Builds the frozen definition and lists its problems without throwing. When there are problems
 * the definition is provisional (e.g. timeoutMs 0 for a missing timeout) and must not be run.
 */
export function buildOperator<S extends z.ZodType>(spec: OperatorSpec<S>): { operator: OperatorDefinition<z.output<S>>; issues: Issue[] } {
  const issues: Issue[] = [];
  if (!OperatorIdSchema.safeParse(spec.id).success) {
    issues.push({
      code: "ERR_SCHEMA",
      path: ["id"],
      message: `operator id ${JSON.stringify(spec.id)}: expected letters, digits, '.', '_', '-' or '/', starting with a letter or digit`,
    });
  }
  if (!OperatorVersionSchema.safeParse(spec.version).success) {
    issues.push({ code: "ERR_SCHEMA", path: ["version"], message: `operator version ${JSON.stringify(spec.version)}: expected e.g. 1.0.0` });
  }
  if (spec.input !== undefined && !(spec.input instanceof z.ZodType)) {
    issues.push({ code: "ERR_SCHEMA", path: ["input"], message: "input must be a zod schema" });
  }
  let timeoutMs = 0;
  if (spec.timeout !== undefined) {
    try {
      timeoutMs = parseDuration(spec.timeout);
    } catch (error) {
      issues.push({ code: "ERR_SCHEMA", path: ["timeout"], message: error instanceof RunledgerError ? (error.detail ?? error.message) : String(error) });
      timeoutMs = Number.NaN;
    }
  }

  const command = typeof spec.command === "string" ? ["sh", "-c", spec.command] : spec.command;
  const mockCommand = typeof spec.mockCommand === "string" ? ["sh", "-c", spec.mockCommand] : spec.mockCommand;
  const definition = {
    id: spec.id,
    version: spec.version,
    ref: `${spec.id}@${spec.version}`,
    kind: spec.kind ?? (command !== undefined ? "command" : spec.steps !== undefined ? "manual" : "function"),
    modes: Object.freeze([...(spec.modes ?? DEFAULT_OPERATOR_MODES)]),
    input: (spec.input ?? z.strictObject({})) as z.ZodType as z.ZodType<z.output<S>>,
    outputs: Object.freeze((spec.outputs ?? []).map((output) => normalizeOutputPath(output) ?? output)),
    checks: Object.freeze([...(spec.checks ?? [])]),
    timeoutMs,
    retries: spec.retries ?? 0,
    env: Object.freeze({ ...spec.env }),
    effects: Object.freeze([...(spec.effects ?? [])]),
    secrets: Object.freeze([...(spec.secrets ?? [])]),
    ...(spec.configs !== undefined && Object.keys(spec.configs).length > 0 && { configs: Object.freeze({ ...spec.configs }) }),
    evidence: Object.freeze([...(spec.evidence ?? [])]),
    ...(spec.description !== undefined && { description: spec.description }),
    ...(spec.run !== undefined && { run: spec.run }),
    ...(command !== undefined && { command: Object.freeze([...command]) }),
    ...(spec.mock !== undefined && { mock: spec.mock }),
    ...(mockCommand !== undefined && { mockCommand: Object.freeze([...mockCommand]) }),
    ...(spec.steps !== undefined && { steps: Object.freeze([...spec.steps]) }),
    ...(spec.by !== undefined && { by: spec.by }),
    ...(spec.gate !== undefined && { gate: spec.gate }),
  } satisfies OperatorDefinition<z.output<S>>;
  const operator: OperatorDefinition<z.output<S>> = Object.freeze(definition);
  // A bad timeout was already reported above; don't report it again as a missing timebox.
  const invariantIssues = validateOperator(operator).filter((issue) => !(Number.isNaN(timeoutMs) && issue.code === "ERR_NO_TIMEBOX"));
  issues.push(...invariantIssues);
  return { operator, issues };
}
