import { RunledgerError } from "../core/errors.js";
import type { AttemptView, ProjectionState, TaskView } from "../ledger/projections/projection-state.js";
import type { OperatorRegistry } from "../operators/operator-registry.js";
import type { PipelineDefinition } from "../pipelines/define-pipeline.js";
import { resolveOperator } from "./resolve-operator.js";
import type { PriorAttempts, TaskState } from "./task-state.js";

/** Where a stopped run stands, as its events tell it: what a resume keeps, redoes and numbers on from. */
export interface ResumeState {
  /** The tasks that settled and keep their outcome; the others run (again). */
  readonly states: Map<string, TaskState>;
  /** Every task's attempts so far, so new ones number on and the retry budget counts failures. */
  readonly prior: Map<string, PriorAttempts>;
  /** Attempts the stopped engine left running, in task order: recorded abandoned and run again. */
  readonly inFlight: readonly { readonly task: string; readonly attempt: AttemptView }[];
  /** The run was paused: it records run.started again as it goes on. */
  readonly wasPaused: boolean;
}

/**
 * Reads a run's resume state out of the projection: a task that passed keeps its outputs (a
 * gate's only once the gate passed or was approved), one skipped or out of retries stays failed,
 * and the rest (in flight, retryable, an undecided or awaiting gate) are left to run again.
 */
export function resumeState(past: ProjectionState, runId: string, def: PipelineDefinition, registry: OperatorRegistry | undefined): ResumeState {
  const view = past.runs[runId];
  if (!view) throw new RunledgerError("ERR_RUN_NOT_FOUND", { detail: runId });
  const reading: Reading = { past, runId, def, registry, fallback: new Date(view.as_of) };
  const states = new Map<string, TaskState>();
  const prior = new Map<string, PriorAttempts>();
  const inFlight: { task: string; attempt: AttemptView }[] = [];
  for (const task of Object.values(view.tasks)) {
    const attempts = task.attempts.map((id) => past.attempts[id]).filter((a) => a !== undefined);
    for (const attempt of attempts) if (attempt.status === "running") inFlight.push({ task: task.name, attempt });
    const failed = attempts.filter((a) => a.status === "failed").length;
    const state = settledState(reading, task, attempts, failed);
    if (state !== undefined) states.set(task.name, state);
    prior.set(task.name, { numbered: attempts.length, failed });
  }
  return { states, prior, inFlight, wasPaused: view.status === "paused" };
}

/** What every task's reading shares: the state, the run, and its definition. */
interface Reading {
  readonly past: ProjectionState;
  readonly runId: string;
  readonly def: PipelineDefinition;
  readonly registry: OperatorRegistry | undefined;
  /** The run's own `as_of`, for outputs whose source run is not in the state. */
  readonly fallback: Date;
}

/** The task's settled state, or undefined when it runs (again). */
function settledState(reading: Reading, task: TaskView, attempts: readonly AttemptView[], failed: number): TaskState | undefined {
  const { past, runId, def, registry, fallback } = reading;
  const spec = def.tasks[task.name];
  const operator = spec ? resolveOperator(spec, registry) : undefined;
  const budget = spec && operator ? 1 + (spec.retries ?? operator.retries) : 1;
  const last = attempts.filter((a) => a.status !== "running" && a.status !== "abandoned").at(-1);
  const exhausted = last?.status === "failed" && (!last.retryable || failed >= budget);
  // A gate's attempt passing is not enough: it counts as passed once the gate passed or was approved.
  const gate = operator?.gate ? (past.gates[`${runId}/${task.name}`]?.status ?? "undecided") : undefined;
  if (gate === "failed" || gate === "rejected") return { passed: false };
  // An awaiting gate waits again, an undecided one is evaluated again.
  if (gate === "awaiting_approval" || gate === "undecided") return undefined;
  const passed = attempts.find((a) => a.result !== null);
  if (passed?.result) return { passed: true, result: passed.result, outputs: passed.outputs, asOf: madeAsOf(past, passed, fallback) };
  if (task.outcome === "SKIPPED" || exhausted) return { passed: false };
  return undefined;
}

/** The `as_of` of the run whose attempt made these outputs: a reused attempt's data is as old as its source's. */
export function madeAsOf(past: ProjectionState, attempt: AttemptView, fallback: Date): number {
  const source = attempt.source_attempt_id === null ? attempt : (past.attempts[attempt.source_attempt_id] ?? attempt);
  const made = past.runs[source.correlation_ids.run_id]?.as_of;
  return made === undefined ? fallback.getTime() : Date.parse(made);
}

/** The task's last attempt in the run when it waits for a manual completion. */
export function waitingAttempt(past: ProjectionState, runId: string, task: string): AttemptView | undefined {
  const last = past.attempts[past.runs[runId]?.tasks[task]?.attempts.at(-1) ?? ""];
  return last?.status === "waiting" ? last : undefined;
}
