import { debugPacketOf } from "../debug/debug-packet-of.js";
import type { DebugPacketView } from "../ledger/projections/projection-state.js";
import type { CommandResult } from "./command-result.js";

/** A packet as `debug show --json` prints it: the contract shape, and what the ledger adds. */
export function debugPacketJson(view: DebugPacketView): CommandResult<"debug show"> {
  return {
    debug_packet: debugPacketOf(view),
    work_mode: view.work_mode,
    opened_at_utc: view.opened_at_utc,
    opened_by: view.opened_by,
    closed_at_utc: view.closed_at_utc,
    evidence_files: view.experiments.flatMap((e, i) =>
      e.evidence.map((f) => ({ experiment: i + 1, digest: f.digest, name: f.name, size_bytes: f.size_bytes })),
    ),
  };
}
