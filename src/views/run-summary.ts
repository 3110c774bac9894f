import type { RunSummary } from "../contracts/run.js";
import type { RunView } from "../ledger/projections/projection-state.js";

/** A run as `runs` lists it. */
export function runSummary(run: Omit<RunView, "tasks">) {
  return {
    id: run.id,
    pipeline: run.pipeline,
    project: run.project,
    status: run.status,
    result: run.result,
    as_of: run.as_of,
    requested_at_utc: run.requested_at_utc,
    work_mode: run.work_mode,
    next: run.next,
    counted: run.counted,
  } satisfies RunSummary;
}
