import { z } from "zod";
import type { Issue } from "../core/errors.js";
import type { CheckSpec } from "../checks/check-spec.js";
import { buildOperator } from "../operators/define-operator.js";
import { GateSpecSchema, gateBody, gateOutputPath } from "../operators/gate-spec.js";
import type { TaskSpec } from "./define-pipeline.js";
import { DurationSchema } from "./duration.js";
import { isYamlMapping, readYamlFields, type YamlFields } from "./read-yaml-fields.js";

/** The timebox of a gate task's checks when it sets no `timeout`: 1 minute. */
const DEFAULT_GATE_TIMEOUT_MS = 60_000;

/** The timebox of a YAML command task that sets no `timeout`: 10 minutes. */
export const DEFAULT_TASK_TIMEOUT_MS = 600_000;

const strings = z.array(z.string().min(1));

/**
 * The input schema of every inline operator: one shared schema, because zod compiles each new
 * schema on its first parse, and a fresh one per task cost more than the rest of loading it.
 */
const NO_INPUT = z.strictObject({});

/** Keys every task may have. */
const TASK_KEYS = {
  needs: strings,
  critical: z.boolean(),
  retries: z.number().int().min(0),
  allowWarn: z.boolean(),
  maxStaleness: DurationSchema,
  description: z.string(),
} satisfies Record<Exclude<keyof TaskSpec, "operator" | "params"> | "description", z.ZodType>;

/** Keys of a task that runs a command (an inline operator). */
const RUN_KEYS = {
  run: z.union([z.string().min(1), z.array(z.string()).min(1)]),
  outputs: z.array(z.string()),
  checks: z.array(z.unknown()),
  timeout: DurationSchema,
  env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  effects: strings,
  secrets: strings,
  /** Config name → file path relative to the pipeline file; versioned by content in the receipt and cache key. */
  configs: z.record(z.string(), z.string().min(1)),
  evidence: strings,
  /** The command a mock run uses instead of run:. */
  mock: z.union([z.string().min(1), z.array(z.string()).min(1)]),
  /** Work modes the task is legal in besides the pipeline's. */
  modes: strings,
};

/** The key of a task a person or an LLM performs (an inline manual operator). */
const MANUAL_KEYS = {
  manual: z.strictObject({ steps: z.array(z.string()).optional(), by: z.enum(["human", "llm"]).optional() }),
};

/** Keys a manual task does not take: nothing runs. */
const NOT_MANUAL = ["run", "mock", "env"] as const;

/** Keys of a task that uses a registered operator. */
const OPERATOR_KEYS = {
  operator: z.string().min(1),
  params: z.record(z.string(), z.unknown()),
} satisfies Record<Extract<keyof TaskSpec, "operator" | "params">, z.ZodType>;

/** The key of a gate task: checks over chosen outputs, optional approval, the watermark it advances. */
const GATE_KEYS = { gate: GateSpecSchema };

/** Keys a gate task does not take: it runs nothing of its own, and its outputs are the chosen ones. */
const NOT_GATE = ["run", "mock", "outputs", "effects", "secrets", "manual"] as const;

const ALL_KEYS = { ...TASK_KEYS, ...RUN_KEYS, ...MANUAL_KEYS, ...GATE_KEYS, ...OPERATOR_KEYS };

/** One task as read so far: its fields, its raw mapping, and the issues found; each step adds to them. */
interface TaskRead {
  readonly name: string;
  readonly base: readonly string[];
  readonly raw: Readonly<Record<string, unknown>>;
  readonly fields: YamlFields<typeof ALL_KEYS>;
  readonly common: TaskSpec;
  readonly pipeline: { readonly name: string; readonly mode: string };
  readonly issues: Issue[];
}

/**
 * Reads one YAML task. A task with `run:` becomes an inline command operator
 * `<pipeline>.<task>@0` (legal in the pipeline's mode, timeout default 10 minutes, a string run by
 * `sh -c`); a task with `manual: { steps, by }` becomes an inline manual operator of the same name
 * whose `outputs:` are the evidence files `runledger complete` records; a task with `operator:`
 * keeps the reference for the registry. Shape problems are
 * ERR_SCHEMA issues at `tasks.<task>.<key>` (at `tasks.<task>` when it is no task at all); the task
 * is still returned so the graph can be checked.
 */
export function readYamlTask(name: string, value: unknown, pipeline: { readonly name: string; readonly mode: string }): { task: TaskSpec; issues: Issue[] } {
  const base = ["tasks", name];
  const issues: Issue[] = [];
  if (!isYamlMapping(value)) {
    issues.push({
      code: "ERR_SCHEMA",
      path: base,
      message: `task ${name} must be a mapping with run: (a command), manual: (steps a person or LLM performs) or operator: (a registered operator)`,
    });
  }
  const raw = isYamlMapping(value) ? value : {};
  const { fields, issues: fieldIssues } = readYamlFields(raw, ALL_KEYS, base);
  issues.push(...fieldIssues);
  const read: TaskRead = { name, base, raw, fields, common: commonSpec(fields), pipeline, issues };
  // A task that names two kinds is reported by the first and read as the next one that fits.
  const task = operatorTask(read) ?? gateTask(read) ?? manualTask(read) ?? commandTask(read, isYamlMapping(value));
  return { task, issues };
}

/** What every kind of task shares: its place in the graph and how its result counts. */
function commonSpec(fields: YamlFields<typeof ALL_KEYS>): TaskSpec {
  return {
    operator: "",
    ...(fields.needs !== undefined && { needs: fields.needs }),
    ...(fields.critical !== undefined && { critical: fields.critical }),
    ...(fields.allowWarn !== undefined && { allowWarn: fields.allowWarn }),
    ...(fields.maxStaleness !== undefined && { maxStaleness: fields.maxStaleness }),
  };
}

/** A task that uses a registered operator: it keeps the reference, and takes none of a run: task's keys. */
function operatorTask({ name, base, raw, fields, common, issues }: TaskRead): TaskSpec | undefined {
  if (!("operator" in raw)) return undefined;
  if ("run" in raw || "manual" in raw) {
    issues.push({
      code: "ERR_SCHEMA",
      path: [...base, "operator"],
      message: `task ${name} has both ${"run" in raw ? "run:" : "manual:"} and operator:; give one`,
    });
    return undefined;
  }
  for (const key of [...Object.keys(RUN_KEYS), ...Object.keys(MANUAL_KEYS)].filter((key) => key in raw)) {
    issues.push({ code: "ERR_SCHEMA", path: [...base, key], message: `${key}: belongs to a run: task; a registered operator declares its own` });
  }
  return {
    ...common,
    operator: fields.operator ?? "",
    ...(fields.retries !== undefined && { retries: fields.retries }),
    ...(fields.params !== undefined && { params: fields.params }),
  };
}

/** A gate task: an inline function operator that checks the outputs it chooses. */
function gateTask({ name, base, raw, fields, common, pipeline, issues }: TaskRead): TaskSpec | undefined {
  if (!("gate" in raw)) return undefined;
  for (const key of NOT_GATE.filter((key) => key in raw)) {
    issues.push({
      code: "ERR_SCHEMA",
      path: [...base, key],
      message: `${key}: does not belong to a gate task; a gate checks the outputs it chooses under gate.over`,
    });
  }
  if ("params" in raw) issues.push({ code: "ERR_SCHEMA", path: [...base, "params"], message: "params: applies to operator: tasks" });
  const gate = fields.gate ?? { over: [], approval: "never" as const, requires: [] };
  const { operator } = buildOperator({
    id: `${pipeline.name}.${name}`,
    version: "0",
    kind: "function",
    input: NO_INPUT,
    modes: modesOf(pipeline, fields),
    run: gateBody(gate),
    gate,
    outputs: gate.over.map(gateOutputPath),
    checks: (fields.checks ?? []) as CheckSpec[],
    timeout: fields.timeout ?? DEFAULT_GATE_TIMEOUT_MS,
    env: envOf(fields),
    ...(fields.evidence !== undefined && { evidence: fields.evidence }),
    ...(fields.description !== undefined && { description: fields.description }),
  });
  return { ...common, operator };
}

/** A task a person or an LLM performs: an inline manual operator; nothing runs. */
function manualTask({ name, base, raw, fields, common, pipeline, issues }: TaskRead): TaskSpec | undefined {
  if (!("manual" in raw)) return undefined;
  if ("run" in raw) {
    issues.push({ code: "ERR_SCHEMA", path: [...base, "manual"], message: `task ${name} has both run: and manual:; give one` });
    return undefined;
  }
  for (const key of NOT_MANUAL.filter((key) => key in raw)) {
    issues.push({ code: "ERR_SCHEMA", path: [...base, key], message: `${key}: belongs to a run: task; a manual task runs nothing` });
  }
  if ("params" in raw) issues.push({ code: "ERR_SCHEMA", path: [...base, "params"], message: "params: applies to operator: tasks" });
  const { operator } = buildOperator({
    id: `${pipeline.name}.${name}`,
    version: "0",
    kind: "manual",
    input: NO_INPUT,
    modes: modesOf(pipeline, fields),
    // Missing steps are reported at tasks.<task>.manual.steps by the operator's invariants.
    steps: fields.manual?.steps ?? [],
    ...(fields.manual?.by !== undefined && { by: fields.manual.by }),
    outputs: fields.outputs ?? [],
    checks: (fields.checks ?? []) as CheckSpec[],
    timeout: fields.timeout ?? DEFAULT_TASK_TIMEOUT_MS,
    retries: fields.retries ?? 0,
    ...(fields.effects !== undefined && { effects: fields.effects }),
    ...(fields.secrets !== undefined && { secrets: fields.secrets }),
    ...(fields.evidence !== undefined && { evidence: fields.evidence }),
    ...(fields.description !== undefined && { description: fields.description }),
  });
  return { ...common, operator };
}

/** A task that runs a command: an inline command operator; also what a task of no known kind is read as. */
function commandTask({ name, base, raw, fields, common, pipeline, issues }: TaskRead, isMapping: boolean): TaskSpec {
  if (!("run" in raw) && isMapping) {
    issues.push({
      code: "ERR_SCHEMA",
      path: base,
      message: `task ${name} needs run: (a command), manual: (steps a person or LLM performs) or operator: (a registered operator)`,
    });
  }
  if ("params" in raw) {
    issues.push({ code: "ERR_SCHEMA", path: [...base, "params"], message: "params: applies to operator: tasks; a run: task takes its settings from env:" });
  }
  const { operator } = buildOperator({
    id: `${pipeline.name}.${name}`,
    version: "0",
    kind: "command",
    input: NO_INPUT,
    modes: modesOf(pipeline, fields),
    // An unreadable run: leaves the argv empty; that is reported at tasks.<task>.run already.
    command: fields.run ?? [],
    outputs: fields.outputs ?? [],
    checks: (fields.checks ?? []) as CheckSpec[],
    timeout: fields.timeout ?? DEFAULT_TASK_TIMEOUT_MS,
    retries: fields.retries ?? 0,
    env: envOf(fields),
    ...(fields.effects !== undefined && { effects: fields.effects }),
    ...(fields.secrets !== undefined && { secrets: fields.secrets }),
    ...(fields.configs !== undefined && { configs: fields.configs }),
    ...(fields.evidence !== undefined && { evidence: fields.evidence }),
    ...(fields.mock !== undefined && { mockCommand: fields.mock }),
    ...(fields.description !== undefined && { description: fields.description }),
  });
  return { ...common, operator };
}

/** An inline operator is legal in the pipeline's mode and in the modes the task adds. */
function modesOf(pipeline: { readonly mode: string }, fields: YamlFields<typeof ALL_KEYS>): string[] {
  return [...new Set([pipeline.mode, ...(fields.modes ?? [])])];
}

/** YAML env values may be numbers or booleans; a process sees strings. */
function envOf(fields: YamlFields<typeof ALL_KEYS>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields.env ?? {}).map(([key, item]) => [key, String(item)]));
}
