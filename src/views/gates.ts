import type { GateDecision } from "../contracts/gate-decision.js";
import type { ProjectionState } from "../ledger/projections/projection-state.js";
import { findRun } from "./find-run.js";

/** The gate decisions, newest first, optionally of one gate and one run (an id or a unique prefix). */
export function gatesView(state: ProjectionState, filter: { readonly gate?: string | undefined; readonly run?: string | undefined }): GateDecision[] {
  const runId = filter.run === undefined ? undefined : findRun(state, filter.run).id;
  return Object.values(state.gates)
    .filter((g) => (filter.gate === undefined || g.gate === filter.gate) && (runId === undefined || g.run_id === runId))
    .sort((a, b) => (a.evaluated_at_utc < b.evaluated_at_utc ? 1 : -1))
    .map((g) => ({ ...g, checks: [...g.checks] }));
}
