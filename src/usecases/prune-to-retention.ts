import { readdir } from "node:fs/promises";
import { FINISHED_RUN_STATUSES } from "../contracts/run.js";
import { pruneWorkDirs, retentionFrom, type Retention } from "../governance/retention.js";
import { emptyProjectionState } from "../ledger/projections/projection-state.js";
import type { ReadModels } from "../ledger/read-models/read-models.js";
import type { ReadDeps } from "./deps.js";

/** What pruning reads and where it removes: the read models, and where attempts' working directories are. */
export interface PruneDeps extends ReadDeps {
  readonly engine: { readonly workRoot: string };
}

/**
 * Removes the working directories of finished runs beyond the retention in force (the last applied
 * change_retention), read after the engine returned so the run just finished counts. Every verb
 * that drives the engine ends with it. Returns the runs pruned.
 */
export async function pruneToRetention(deps: PruneDeps): Promise<string[]> {
  const models = await deps.readModels();
  return pruneRuns(models, deps.engine.workRoot, await retentionOf(models));
}

/** The retention in force: from the change_retention admin events alone. */
export async function retentionOf(models: ReadModels): Promise<Retention> {
  return retentionFrom(await models.adminEvents({ kinds: ["change_retention"] }));
}

/**
 * Prunes to `retention` reading only the runs it decides on: the newest finished runs it keeps and
 * those whose working directories are there; among them, the newest finished are the newest of all.
 */
export async function pruneRuns(models: ReadModels, workRoot: string, retention: Retention): Promise<string[]> {
  if (retention.keep_work_runs === null) return [];
  const state = emptyProjectionState();
  for (const run of await models.runs({ statuses: FINISHED_RUN_STATUSES, limit: retention.keep_work_runs })) state.runs[run.id] = run;
  for (const id of await readdir(workRoot).catch(() => [] as string[])) {
    const run = state.runs[id] ?? (await models.run(id));
    if (run) state.runs[id] = run;
  }
  return pruneWorkDirs(workRoot, state, retention);
}
