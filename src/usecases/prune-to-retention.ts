import { pruneWorkDirs, retentionFrom } from "../governance/retention.js";
import type { ReadDeps } from "./deps.js";

/** What pruning reads and where it removes: the present state, and where attempts' working directories are. */
export interface PruneDeps extends ReadDeps {
  readonly engine: { readonly workRoot: string };
}

/**
 * Removes the working directories of finished runs beyond the retention in force (the last applied
 * change_retention), read after the engine returned so the run just finished counts. Every verb
 * that drives the engine ends with it. Returns the runs pruned.
 */
export async function pruneToRetention(deps: PruneDeps): Promise<string[]> {
  const state = await deps.readState();
  return pruneWorkDirs(deps.engine.workRoot, state, retentionFrom(state.adminEvents));
}
