import { RunledgerError } from "../core/errors.js";
import type { DebugPacketView, ProjectionState } from "../ledger/projections/projection-state.js";

/** Finds a DebugPacket by its id or a unique prefix of it; ERR_DEBUG_PACKET_NOT_FOUND otherwise. */
export function findDebugPacket(state: ProjectionState, idOrPrefix: string): DebugPacketView {
  const exact = state.debugPackets[idOrPrefix];
  if (exact) return exact;
  const matches = Object.keys(state.debugPackets).filter((id) => idOrPrefix !== "" && id.startsWith(idOrPrefix));
  if (matches.length === 1) return state.debugPackets[matches[0] as string] as DebugPacketView;
  throw new RunledgerError("ERR_DEBUG_PACKET_NOT_FOUND", {
    detail: matches.length > 1 ? `${idOrPrefix} is ambiguous (${matches.length} packets)` : idOrPrefix,
  });
}
