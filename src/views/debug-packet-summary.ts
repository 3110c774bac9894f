import type { DebugPacketSummary } from "../contracts/debug-packet-output.js";
import type { DebugPacketView, ProjectionState } from "../ledger/projections/projection-state.js";

/** One line per packet, as `debug list` prints it. */
export function debugPacketSummary(view: DebugPacketView): DebugPacketSummary {
  return {
    debug_packet_id: view.id,
    run_id: view.run_id,
    project: view.project,
    work_mode: view.work_mode,
    status: view.status,
    symptom: view.symptom,
    hypotheses: view.hypotheses.length,
    experiments: view.experiments.length,
    opened_at_utc: view.opened_at_utc,
    closed_at_utc: view.closed_at_utc,
  };
}

/** The packets as `debug list` lists them, oldest first; only the open ones when asked. */
export function debugPacketsView(state: ProjectionState, filter: { readonly open?: boolean | undefined }): DebugPacketSummary[] {
  return Object.values(state.debugPackets)
    .filter((p) => !filter.open || p.status === "open")
    .map(debugPacketSummary);
}
