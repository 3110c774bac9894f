import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { AdminEventView, ProjectionState } from "../ledger/projections/projection-state.js";

/** What the workspace keeps: the working directories of the newest `keep_work_runs` finished runs (null: all). */
export interface Retention {
  readonly keep_work_runs: number | null;
}

/** The retention in force: the last applied change_retention admin event's `after`, else keep everything. */
export function retentionFrom(adminEvents: readonly AdminEventView[]): Retention {
  const last = adminEvents.filter((e) => e.action_type === "change_retention" && e.result === "applied").at(-1);
  return (last?.after as Retention | undefined) ?? { keep_work_runs: null };
}

/**
 * Removes the working directories (kept from failed attempts, for debugging) of finished runs
 * older than the newest `keep_work_runs` finished ones. Open runs keep theirs: a waiting manual
 * task's inputs live there. The ledger and the artifact store are never touched. Returns the runs pruned.
 */
export async function pruneWorkDirs(workRoot: string, state: ProjectionState, retention: Retention): Promise<string[]> {
  if (retention.keep_work_runs === null) return [];
  const finished = Object.values(state.runs)
    .filter((r) => r.finished_at_utc !== null)
    .sort((a, b) => (a.requested_at_utc < b.requested_at_utc ? 1 : -1))
    .map((r) => r.id);
  const keep = new Set(finished.slice(0, retention.keep_work_runs));
  const present = await readdir(workRoot).catch(() => [] as string[]);
  const pruned = present.filter((id) => finished.includes(id) && !keep.has(id));
  for (const id of pruned) await rm(join(workRoot, id), { recursive: true, force: true });
  return pruned;
}
