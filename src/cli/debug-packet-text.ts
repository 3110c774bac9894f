import { debugPacketOf } from "../debug/debug-packet-of.js";
import type { DebugPacketView } from "../ledger/projections/projection-state.js";

/** The packet for people, in the order of seed 000's template; one element per line (see terminalText). */
export function debugPacketText(view: DebugPacketView): string[] {
  const p = debugPacketOf(view);
  // Expected and actual output may span lines; each of their lines is indented under its heading.
  const indent = (text: string) => text.split("\n").map((l) => `    ${l}`);
  const context = typeof p.context === "string" ? p.context : String(p.context["summary"] ?? JSON.stringify(p.context));
  const lines = [
    `debug packet ${p.debug_packet_id}  ${p.status}  run ${p.run_id ?? "-"}  ${view.work_mode}`,
    `symptom: ${p.symptom}`,
    `context: ${context}`,
    "minimal repro:",
    ...(p.minimal_repro.commands.length > 0 ? p.minimal_repro.commands.map((c) => `  $ ${c}`) : ["  (no commands)"]),
    "  expected:",
    ...indent(p.minimal_repro.expected || "(not stated)"),
    "  actual:",
    ...indent(p.minimal_repro.actual || "(not stated)"),
    `hypotheses (${p.hypotheses.length}/3):`,
    ...p.hypotheses.map((h, i) => `  ${i + 1}. ${h}`),
    `experiments (${p.experiments.length}):`,
    ...view.experiments.map((e, i) => `  ${i + 1}. ${e.change} -> ${e.result}  [${e.evidence.map((f) => `${f.name} ${f.digest}`).join(", ")}]`),
  ];
  if (p.status === "closed") {
    lines.push(
      `decision: ${p.decision}`,
      `next: ${p.resolution_or_next}`,
      `regression guard: ${p.regression_guard || "(none)"}`,
      `time spent: ${p.time_spent_minutes} min`,
    );
  }
  return lines;
}
