import type { ProjectionState } from "../ledger/projections/projection-state.js";
import { hasMinimalRepro } from "./has-minimal-repro.js";

/** A failed CONTRACT run flagged for lacking a DebugPacket or the packet's minimal repro. */
export interface MissingDebugPacket {
  readonly run_id: string;
  readonly project: string;
  readonly pipeline: string;
  readonly finished_at_utc: string | null;
  readonly debug_packet_id: string | null;
  readonly reason: string;
}

/**
 * Seed 000: a minimal repro is mandatory when you claim CONTRACT work. Every run in CONTRACT mode
 * whose result is FAIL needs a DebugPacket with a minimal repro; the ones without are returned.
 */
export function missingDebugPackets(state: ProjectionState): MissingDebugPacket[] {
  const packets = Object.values(state.debugPackets);
  return Object.values(state.runs)
    .filter((run) => run.work_mode === "CONTRACT" && run.result === "FAIL")
    .flatMap((run) => {
      const own = packets.filter((p) => p.run_id === run.id);
      if (own.some((p) => hasMinimalRepro(p.minimal_repro))) return [];
      const base = { run_id: run.id, project: run.project, pipeline: run.pipeline, finished_at_utc: run.finished_at_utc };
      const last = own.at(-1);
      return [
        last
          ? { ...base, debug_packet_id: last.id, reason: `DebugPacket ${last.id} has no minimal repro (commands, expected and actual)` }
          : { ...base, debug_packet_id: null, reason: "no DebugPacket" },
      ];
    });
}
