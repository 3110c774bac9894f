import type { FoldedEventOf } from "../ledger-event.js";
import type { EventReducers } from "./event-reducer.js";
import type { AttemptView, ProjectionState, RunView, TaskView } from "./projection-state.js";

type AttemptEventType =
  | "task.skipped"
  | "attempt.started"
  | "attempt.reused"
  | "attempt.succeeded"
  | "attempt.failed"
  | "attempt.suspended"
  | "attempt.completed"
  | "attempt.abandoned"
  | "check.evaluated";

/** Tasks and their attempts: an attempt's start or reuse, how it settles, and the task it decides. */
export const ATTEMPT_REDUCERS: EventReducers<AttemptEventType> = {
  "task.skipped": (state, event) => {
    const task = taskOf(state.runs[event.data.run_id], event.data.task);
    if (!task) return;
    task.outcome = "SKIPPED";
    task.reason = event.data.reason;
  },
  "attempt.started": openAttempt,
  "attempt.reused": openAttempt,
  "attempt.succeeded": (state, event) => {
    const a = state.attempts[event.data.attempt_id];
    if (!a) return;
    a.status = "succeeded";
    a.receipt_digest = event.data.receipt_digest;
    a.result = event.data.result;
    a.outputs = event.data.outputs;
    if (a.cache_key !== null) state.cache[a.cache_key] ??= a.attempt_id;
    settle(state, a, event.at, "SUCCESS");
  },
  "attempt.failed": (state, event) => {
    const a = state.attempts[event.data.attempt_id];
    if (!a) return;
    a.status = "failed";
    a.error_code = event.data.error_code;
    a.retryable = event.data.retryable;
    a.reason = event.data.reason;
    a.receipt_digest = event.data.receipt_digest ?? null;
    settle(state, a, event.at, "FAILED");
  },
  "attempt.suspended": (state, event) => {
    const a = state.attempts[event.data.attempt_id];
    if (!a) return;
    a.status = "waiting";
    a.manual = { steps: event.data.steps, by: event.data.by, outputs: event.data.outputs, deadline_utc: event.data.deadline_utc };
    settle(state, a, event.at, "WAITING");
  },
  "attempt.completed": (state, event) => {
    const attempt = state.attempts[event.data.attempt_id];
    if (!attempt) return;
    attempt.completion = { actor: event.actor, result: event.data.result, note: event.data.note ?? null, late: event.data.late, at_utc: event.at };
    const run = state.runs[attempt.correlation_ids.run_id];
    if (run?.status === "waiting") run.status = "running";
  },
  "attempt.abandoned": (state, event) => {
    const a = state.attempts[event.data.attempt_id];
    if (!a) return;
    a.status = "abandoned";
    a.retryable = true;
    a.reason = event.data.reason;
    settle(state, a, event.at, "PENDING");
  },
  "check.evaluated": (state, event) => {
    const attempt = state.attempts[event.data.attempt_id];
    if (attempt) attempt.checks.push({ name: event.data.name, result: event.data.result });
  },
};

function openAttempt(state: ProjectionState, event: FoldedEventOf<"attempt.started" | "attempt.reused">): void {
  const d = event.data;
  const reused = event.type === "attempt.reused";
  state.attempts[d.attempt_id] = {
    job_id: d.job_id,
    attempt_id: d.attempt_id,
    attempt_number: reused ? 1 : event.data.attempt_number,
    operator_ref: reused ? null : event.data.operator_ref,
    status: reused ? "reused" : "running",
    created_at_utc: event.at,
    updated_at_utc: event.at,
    correlation_ids: { run_id: d.run_id, task: d.task, project: event.project },
    error_code: null,
    retryable: false,
    reason: null,
    receipt_digest: reused ? event.data.receipt_digest : null,
    source_attempt_id: reused ? event.data.source_attempt_id : null,
    cache_key: reused ? null : (event.data.cache_key ?? null),
    result: reused ? event.data.result : null,
    outputs: reused ? event.data.outputs : [],
    checks: reused ? [...(state.attempts[event.data.source_attempt_id]?.checks ?? [])] : [],
    manual: null,
    completion: null,
    effects: [],
  };
  const task = taskOf(state.runs[d.run_id], d.task);
  if (!task) return;
  task.attempts.push(d.attempt_id);
  task.outcome = reused ? "SUCCESS" : "RUNNING";
  task.reason = reused ? "reused" : null;
}

function taskOf(run: RunView | undefined, name: string): TaskView | undefined {
  if (!run) return undefined;
  return (run.tasks[name] ??= { name, outcome: "PENDING", reason: null, attempts: [] });
}

/** Stamps the attempt's update and lets its settled state decide its task. */
function settle(state: ProjectionState, attempt: AttemptView, at: string, outcome: TaskView["outcome"]): void {
  attempt.updated_at_utc = at;
  const task = taskOf(state.runs[attempt.correlation_ids.run_id], attempt.correlation_ids.task);
  if (!task) return;
  task.outcome = outcome;
  task.reason = attempt.reason;
}
