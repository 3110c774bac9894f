import { RunledgerError } from "../core/errors.js";
import type { ProjectionState, RunView } from "../ledger/projections/projection-state.js";

/** Finds a run by its id or a unique prefix of it. */
export function findRun(state: ProjectionState, idOrPrefix: string): RunView {
  const exact = state.runs[idOrPrefix];
  if (exact) return exact;
  const matches = Object.keys(state.runs).filter((id) => id.startsWith(idOrPrefix));
  if (matches.length === 1) return state.runs[matches[0] as string] as RunView;
  throw new RunledgerError("ERR_RUN_NOT_FOUND", { detail: matches.length > 1 ? `${idOrPrefix} is ambiguous (${matches.length} runs)` : idOrPrefix });
}
