import { MAX_HYPOTHESES } from "../contracts/debug-packet.js";
import { RunledgerError } from "../core/errors.js";
import type { DebugPacketView } from "../ledger/projections/projection-state.js";
import type { DebugDeps } from "./debug-deps.js";

/** The stop rule a CONTRACT packet fires when a hypothesis beyond the third is offered. */
export const HYPOTHESES_EXCEEDED_RULE = "contract.hypotheses-exceeded";

/**
 * Adds a hypothesis to an open packet. A packet holds at most MAX_HYPOTHESES: the next one is
 * refused with ERR_HYPOTHESES_EXCEEDED, and when the packet's run is in CONTRACT mode the seed 000
 * stop rule `contract.hypotheses-exceeded` is recorded for the run first (stoprule.fired).
 */
export async function addHypothesis(deps: DebugDeps, packet: DebugPacketView, text: string): Promise<void> {
  const hypothesis = text.trim();
  if (hypothesis === "") throw new RunledgerError("ERR_USAGE", { detail: "a hypothesis is a non-empty text" });
  assertOpen(packet);
  if (packet.hypotheses.length >= MAX_HYPOTHESES) {
    const detail = `DebugPacket ${packet.id} already has ${MAX_HYPOTHESES} hypotheses: stop widening; force the minimal repro, then test one axis at a time`;
    if (packet.work_mode === "CONTRACT") {
      await deps.ledger.append([
        {
          type: "stoprule.fired",
          project: packet.project,
          actor: deps.actor,
          data: { detail, mode: packet.work_mode, rule: HYPOTHESES_EXCEEDED_RULE, run_id: packet.run_id, subject: packet.id },
        },
      ]);
    }
    throw new RunledgerError("ERR_HYPOTHESES_EXCEEDED", { detail });
  }
  await deps.ledger.append([{ type: "debug.hypothesized", project: packet.project, actor: deps.actor, data: { debug_packet_id: packet.id, hypothesis } }]);
}

/** Refuses to change a closed packet (ERR_DEBUG_PACKET_CLOSED). */
export function assertOpen(packet: DebugPacketView): void {
  if (packet.status === "closed")
    throw new RunledgerError("ERR_DEBUG_PACKET_CLOSED", { detail: `DebugPacket ${packet.id} was closed at ${packet.closed_at_utc ?? "?"}` });
}
