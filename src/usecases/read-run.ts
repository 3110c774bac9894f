import type { RunView } from "../ledger/projections/projection-state.js";
import type { ReadModels } from "../ledger/read-models/read-models.js";
import { emptyProjectionState } from "../ledger/projections/projection-state.js";
import { findRun } from "../views/find-run.js";

/** The run `ref` names (its id or a unique prefix), read by index; ERR_RUN_NOT_FOUND as findRun says it when none or several match. */
export async function readRun(models: ReadModels, ref: string): Promise<RunView> {
  const id = await models.resolveRunId(ref);
  const run = id === undefined ? undefined : await models.run(id);
  if (run) return run;
  // Only a refusal lists the runs the prefix matches, to say how many.
  const state = emptyProjectionState();
  for (const listed of await models.runs({ limit: Number.MAX_SAFE_INTEGER })) if (listed.id.startsWith(ref)) state.runs[listed.id] = listed;
  return findRun(state, ref);
}
