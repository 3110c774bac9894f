import type { GateDecision } from "../contracts/gate-decision.js";
import type { GateView } from "../ledger/projections/projection-state.js";
import type { ReadModels } from "../ledger/read-models/read-models.js";
import { findRunId } from "./find-run.js";

/** The gate decisions, newest first, optionally of one gate and one run (an id or a unique prefix): only that run's are read. */
export async function gatesView(
  models: ReadModels,
  filter: { readonly gate?: string | undefined; readonly run?: string | undefined },
): Promise<GateDecision[]> {
  const gates = filter.run === undefined ? await models.gates() : await models.gatesOfRun(await findRunId(models, filter.run));
  return byEvaluation(gates)
    .filter((g) => filter.gate === undefined || g.gate === filter.gate)
    .sort((a, b) => (a.evaluated_at_utc < b.evaluated_at_utc ? 1 : -1))
    .map((g) => ({ ...g, checks: [...g.checks] }));
}

/** The documents come in key order; the listing sorts the order they were evaluated in, as the projection holds them. */
function byEvaluation(gates: GateView[]): GateView[] {
  return gates.sort((a, b) => a.evaluated_at_utc.localeCompare(b.evaluated_at_utc));
}
