import { RunledgerError } from "../core/errors.js";
import type { GateView, ProjectionState } from "../ledger/projections/projection-state.js";
import { findRun } from "./find-run.js";

/** The decision of `gate` in `run`, or the only one awaiting approval when no run is named. */
export function findGate(state: ProjectionState, gate: string, run: string | undefined): GateView {
  if (run !== undefined) {
    const found = state.gates[`${findRun(state, run).id}/${gate}`];
    if (!found) throw new RunledgerError("ERR_GATE_NOT_FOUND", { detail: `run ${run} has no evaluated gate ${gate}` });
    return found;
  }
  const awaiting = Object.values(state.gates).filter((g) => g.gate === gate && g.status === "awaiting_approval");
  if (awaiting.length === 1) return awaiting[0] as GateView;
  const detail =
    awaiting.length === 0
      ? `no run awaits approval of gate ${gate}`
      : `${awaiting.length} runs await gate ${gate}; name one with --run (${awaiting.map((g) => g.run_id).join(", ")})`;
  throw new RunledgerError("ERR_GATE_NOT_FOUND", { detail });
}
