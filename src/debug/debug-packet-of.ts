import { DebugPacketSchema, type DebugPacket } from "../contracts/debug-packet.js";
import type { DebugPacketView } from "../ledger/projections/projection-state.js";

/**
 * A projected DebugPacket in its contract shape (DebugPacketSchema, validated here): evidence
 * items are the digests of the stored evidence files, `resolution_or_next` the next pointer.
 */
export function debugPacketOf(view: DebugPacketView): DebugPacket {
  return DebugPacketSchema.parse({
    debug_packet_id: view.id,
    project_id: view.project,
    run_id: view.run_id,
    symptom: view.symptom,
    context: view.context,
    minimal_repro: view.minimal_repro,
    hypotheses: view.hypotheses,
    experiments: view.experiments.map((e) => ({ change: e.change, result: e.result, evidence: e.evidence.map((f) => f.digest) })),
    decision: view.decision,
    resolution_or_next: view.next,
    regression_guard: view.regression_guard,
    time_spent_minutes: view.time_spent_minutes,
    status: view.status,
  });
}
