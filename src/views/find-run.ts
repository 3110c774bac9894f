import { RunledgerError } from "../core/errors.js";
import type { ProjectionState, RunView } from "../ledger/projections/projection-state.js";
import type { ReadModels } from "../ledger/read-models/read-models.js";

/** Finds a run by its id or a unique prefix of it. */
export function findRun(state: ProjectionState, idOrPrefix: string): RunView {
  const exact = state.runs[idOrPrefix];
  if (exact) return exact;
  const matches = Object.keys(state.runs).filter((id) => id.startsWith(idOrPrefix));
  if (matches.length === 1) return state.runs[matches[0] as string] as RunView;
  throw runNotFound(idOrPrefix, matches.length);
}

/** The id of the run named by its id or a unique prefix of it, from the read models; ERR_RUN_NOT_FOUND as findRun. */
export async function findRunId(models: ReadModels, idOrPrefix: string): Promise<string> {
  const id = await models.resolveRunId(idOrPrefix);
  if (id !== undefined) return id;
  // Only a refusal counts every match, for its message.
  const matches = await models.runIdsByPrefix(idOrPrefix, Number.MAX_SAFE_INTEGER);
  throw runNotFound(idOrPrefix, matches.length);
}

/** The run named by its id or a unique prefix of it, with its tasks, from the read models; ERR_RUN_NOT_FOUND as findRun. */
export async function findRunView(models: ReadModels, idOrPrefix: string): Promise<RunView> {
  const run = await models.run(await findRunId(models, idOrPrefix));
  if (!run) throw runNotFound(idOrPrefix, 0);
  return run;
}

function runNotFound(idOrPrefix: string, matches: number): RunledgerError {
  return new RunledgerError("ERR_RUN_NOT_FOUND", { detail: matches > 1 ? `${idOrPrefix} is ambiguous (${matches} runs)` : idOrPrefix });
}
