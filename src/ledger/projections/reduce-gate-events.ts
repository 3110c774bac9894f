import type { FoldedEventOf } from "../ledger-event.js";
import type { EventReducers } from "./event-reducer.js";
import type { ProjectionState } from "./projection-state.js";
import { moveWatermark } from "./watermark-state.js";

/** Gates and the watermarks they advance; an admin's decision on a gate is folded in apply-admin-event.ts. */
export const GATE_REDUCERS: EventReducers<"gate.evaluated" | "watermark.advanced" | "watermark.invalidated"> = {
  "gate.evaluated": evaluateGate,
  "watermark.advanced": (state, event) => {
    const d = event.data;
    moveWatermark(state.watermarks, {
      name: d.watermark,
      value: d.value,
      at_utc: event.at,
      by: `${event.actor.kind}:${event.actor.id}`,
      moved_by: { kind: "gate", gate: d.gate, run_id: d.run_id },
      definition: d.definition ?? null,
    });
  },
  "watermark.invalidated": (state, event) => {
    const mark = state.watermarks[event.data.watermark];
    if (!mark) return;
    mark.valid = false;
    mark.invalidated = { reason: event.data.reason, at_utc: event.at, by_version: event.data.by_version };
  },
};

function evaluateGate(state: ProjectionState, event: FoldedEventOf<"gate.evaluated">): void {
  const d = event.data;
  state.gates[`${d.run_id}/${d.gate}`] = {
    gate: d.gate,
    run_id: d.run_id,
    task: d.task,
    status: d.status,
    result: d.result,
    approval: d.approval,
    checks: d.checks,
    advances: d.advances ?? null,
    evaluated_at_utc: event.at,
    decided_by: null,
    decided_at_utc: null,
    reason: null,
  };
  // The gate, not its attempt, decides the task: a failed gate fails it; one awaiting approval waits.
  const task = state.runs[d.run_id]?.tasks[d.task];
  if (task && d.status === "failed") {
    task.outcome = "FAILED";
    task.reason = `gate failed: ${d.checks
      .filter((c) => c.result === "FAIL")
      .map((c) => c.name)
      .join(", ")}`;
  } else if (task && d.status === "awaiting_approval") {
    task.outcome = "WAITING";
    task.reason = `gate awaits approval: runledger gate approve ${d.gate} --run ${d.run_id} --reason "…"`;
  }
}
