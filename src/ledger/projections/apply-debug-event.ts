import type { FoldedEventOf } from "../ledger-event.js";
import type { ProjectionState } from "./projection-state.js";

type DebugEvent = FoldedEventOf<"debug.opened" | "debug.hypothesized" | "debug.experimented" | "debug.closed">;

/** Folds one debug.* event into the DebugPacket it names; events on an unknown packet are ignored. */
export function applyDebugEvent(state: ProjectionState, event: DebugEvent): void {
  if (event.type === "debug.opened") {
    const d = event.data;
    state.debugPackets[d.debug_packet_id] = {
      id: d.debug_packet_id,
      project: event.project,
      run_id: d.run_id,
      work_mode: d.work_mode,
      opened_at_utc: event.at,
      opened_by: event.actor,
      symptom: d.symptom,
      context: d.context,
      minimal_repro: { commands: d.minimal_repro.commands, inputs: d.minimal_repro.inputs, expected: d.minimal_repro.expected, actual: d.minimal_repro.actual },
      hypotheses: [],
      experiments: [],
      decision: "",
      next: "",
      regression_guard: "",
      time_spent_minutes: 0,
      status: "open",
      closed_at_utc: null,
    };
    return;
  }
  const packet = state.debugPackets[event.data.debug_packet_id];
  if (!packet) return;
  switch (event.type) {
    case "debug.hypothesized":
      packet.hypotheses.push(event.data.hypothesis);
      return;
    case "debug.experimented":
      packet.experiments.push({ change: event.data.change, result: event.data.result, evidence: event.data.evidence.map((e) => ({ ...e })) });
      return;
    case "debug.closed":
      packet.decision = event.data.decision;
      packet.next = event.data.next;
      packet.regression_guard = event.data.regression_guard;
      packet.time_spent_minutes = event.data.time_spent_minutes;
      packet.status = "closed";
      packet.closed_at_utc = event.at;
      return;
  }
}
