import type { RunSummary } from "../contracts/run.js";
import type { RunStatus } from "../ledger/projections/projection-state.js";
import type { RunListQuery } from "../ledger/read-models/read-model-store.js";
import type { ListedRun, ReadModels } from "../ledger/read-models/read-models.js";
import { findRunId } from "./find-run.js";
import { runSummary } from "./run-summary.js";

/** Runs listed when no limit is given. */
export const DEFAULT_RUNS_LIMIT = 50;

/** Rows read at a time while a filter the listing has no index for (missingNext, notCounted) drops some. */
const FILTERED_BATCH = 200;

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

/** What the listing's index cannot filter on: whether a finished run lacks its next pointer, or does not count. */
function matchesUnindexed({ run }: ListedRun, query: RunsQuery): boolean {
  return (!query.missingNext || (run.finished_at_utc !== null && run.next === null)) && (!query.notCounted || (run.finished_at_utc !== null && !run.counted));
}

/**
 * The runs as `runs` lists them: the newest `limit` (default 50) that match, in ledger order. Reads
 * the listing newest first, one more than the page, to know whether older ones match too.
 */
export async function runsView(models: ReadModels, query: RunsQuery): Promise<RunsPage> {
  const limit = query.limit ?? DEFAULT_RUNS_LIMIT;
  const indexed: RunListQuery = {
    pipeline: query.pipeline,
    statuses: query.status === undefined ? undefined : [query.status],
    workMode: query.mode,
    since: query.since?.toISOString(),
    until: query.until?.toISOString(),
    limit: limit + 1,
  };
  const unindexed = query.missingNext === true || query.notCounted === true;
  const page: ListedRun[] = [];
  let beforeSeq = query.before === undefined ? undefined : await models.requestSeq(await findRunId(models, query.before));
  while (page.length <= limit) {
    const batch = unindexed ? Math.max(FILTERED_BATCH, limit + 1) : limit + 1 - page.length;
    const rows = await models.listedRuns({ ...indexed, beforeSeq, limit: batch });
    page.push(...rows.filter((row) => matchesUnindexed(row, query)));
    if (rows.length < batch) break;
    beforeSeq = rows.at(-1)?.request_seq;
  }
  const shown = page.slice(0, limit);
  const oldest = shown.at(-1);
  return { runs: shown.reverse().map((row) => runSummary(row.run)), next_before: page.length > limit && oldest ? oldest.run.id : null };
}
