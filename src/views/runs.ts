import type { RunSummary } from "../contracts/run.js";
import type { ProjectionState } from "../ledger/projections/projection-state.js";
import { runSummary } from "./run-summary.js";

/** Which runs `runs` lists: all, or only finished ones without a next pointer, or only finished ones not counted. */
export interface RunsFilter {
  readonly missingNext?: boolean | undefined;
  readonly notCounted?: boolean | undefined;
}

/** The runs as `runs` lists them, in ledger order. */
export function runsView(state: ProjectionState, filter: RunsFilter): RunSummary[] {
  return Object.values(state.runs)
    .filter((r) => !filter.missingNext || (r.finished_at_utc !== null && r.next === null))
    .filter((r) => !filter.notCounted || (r.finished_at_utc !== null && !r.counted))
    .map(runSummary);
}
