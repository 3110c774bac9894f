import type { RunSummary } from "../contracts/run.js";
import type { ProjectionState, RunStatus, RunView } from "../ledger/projections/projection-state.js";
import { findRun } from "./find-run.js";
import { runSummary } from "./run-summary.js";

/** Runs listed when no limit is given. */
export const DEFAULT_RUNS_LIMIT = 50;

/** Which runs `runs` lists, and how many: the newest `limit` that match, older than `before` if given. */
export interface RunsQuery {
  /** Only finished runs without a next pointer. */
  readonly missingNext?: boolean | undefined;
  /** Only finished runs that do not count. */
  readonly notCounted?: boolean | undefined;
  readonly pipeline?: string | undefined;
  readonly status?: RunStatus | undefined;
  /** The run's work mode. */
  readonly mode?: string | undefined;
  /** Requested at or after this instant. */
  readonly since?: Date | undefined;
  /** Requested before this instant. */
  readonly until?: Date | undefined;
  /** A run id (or a unique prefix): only runs requested before it. */
  readonly before?: string | undefined;
  readonly limit?: number | undefined;
}

/** A page of runs, newest last, and the run to list before for the next (older) page, if there is one. */
export interface RunsPage {
  readonly runs: RunSummary[];
  readonly next_before: string | null;
}

function matches(run: RunView, query: RunsQuery): boolean {
  const requested = Date.parse(run.requested_at_utc);
  return (
    (!query.missingNext || (run.finished_at_utc !== null && run.next === null)) &&
    (!query.notCounted || (run.finished_at_utc !== null && !run.counted)) &&
    (query.pipeline === undefined || run.pipeline === query.pipeline) &&
    (query.status === undefined || run.status === query.status) &&
    (query.mode === undefined || run.work_mode === query.mode) &&
    (query.since === undefined || requested >= query.since.getTime()) &&
    (query.until === undefined || requested < query.until.getTime())
  );
}

/** The runs as `runs` lists them: the newest `limit` (default 50) that match, in ledger order. */
export function runsView(state: ProjectionState, query: RunsQuery): RunsPage {
  const all = Object.values(state.runs);
  const end = query.before === undefined ? all.length : all.indexOf(findRun(state, query.before));
  const limit = query.limit ?? DEFAULT_RUNS_LIMIT;
  const page: RunView[] = [];
  let index = end - 1;
  for (; index >= 0 && page.length < limit; index--) if (matches(all[index]!, query)) page.push(all[index]!);
  while (index >= 0 && !matches(all[index]!, query)) index--;
  const oldest = page.at(-1);
  return { runs: page.reverse().map(runSummary), next_before: index >= 0 && oldest ? oldest.id : null };
}
