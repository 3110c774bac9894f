import type { GateDecision } from "../contracts/gate-decision.js";
import type { GateView } from "../ledger/projections/projection-state.js";
import type { ReadModels } from "../ledger/read-models/read-models.js";
import { findRunId } from "./find-run.js";

/**
 * The gate decisions last evaluated or decided, newest first, at most `limit` (all when omitted),
 * optionally of one gate and one run (an id or a unique prefix): only that run's are read, or
 * without a filter only the last `limit` written. `more` says whether older ones were left out.
 */
export async function gatesView(
  models: ReadModels,
  filter: { readonly gate?: string | undefined; readonly run?: string | undefined; readonly limit?: number | undefined },
): Promise<{ gates: GateDecision[]; more: boolean }> {
  const limit = filter.limit ?? Number.POSITIVE_INFINITY;
  const gates =
    filter.run !== undefined
      ? await models.gatesOfRun(await findRunId(models, filter.run))
      : filter.gate === undefined && Number.isFinite(limit)
        ? await models.recentGates(limit + 1)
        : await models.gates();
  const listed = byEvaluation(gates)
    .filter((g) => filter.gate === undefined || g.gate === filter.gate)
    .sort((a, b) => (a.evaluated_at_utc < b.evaluated_at_utc ? 1 : -1));
  return { gates: listed.slice(0, limit).map((g) => ({ ...g, checks: [...g.checks] })), more: listed.length > limit };
}

/** The documents come in key order; the listing sorts the order they were evaluated in, as the projection holds them. */
function byEvaluation(gates: GateView[]): GateView[] {
  return gates.sort((a, b) => a.evaluated_at_utc.localeCompare(b.evaluated_at_utc));
}
