import type { runJson } from "../views/run.js";

/** A few lines for people: the run, then one line per task (one element per line, see terminalText). */
export function runText(view: ReturnType<typeof runJson>): string[] {
  const shadow = view.enforcement === "shadow" ? "  shadow" : "";
  const lines = [`run ${view.id}  ${view.pipeline}  ${view.status}  ${view.result ?? "-"}  as_of ${view.as_of}${shadow}`];
  for (const task of view.tasks) {
    const checks = task.checks.map((c) => `${c.name}=${c.result}`).join(" ");
    const reused = task.attempts.some((a) => a.status === "reused") ? " (reused)" : "";
    lines.push(`  ${task.outcome.padEnd(8)} ${task.name}${reused}${task.reason && !reused ? `: ${task.reason}` : ""}${checks ? `  [${checks}]` : ""}`);
    const calls = task.attempts.at(-1)?.effects ?? [];
    if (calls.length > 0) lines.push(`           effects: ${calls.map((e) => `${e.effect}=${e.outcome}`).join(" ")}`);
  }
  for (const task of view.tasks) {
    if (task.waiting === null) continue;
    lines.push(`waiting for ${task.waiting.by === "llm" ? "an LLM" : "a person"}: ${task.name} (timebox until ${task.waiting.deadline_utc})`);
    task.waiting.steps.forEach((step, i) => lines.push(`  ${i + 1}. ${step}`));
    if (task.waiting.inputs_dir !== undefined) lines.push(`  inputs: ${task.waiting.inputs_dir}`);
    lines.push(`  then record the outcome (PASS, WARN or FAIL) with the evidence files: ${task.waiting.complete}`);
  }
  for (const gate of view.gates.filter((g) => g.status === "awaiting_approval")) {
    const advance = gate.advances ? `; approval advances ${gate.advances.watermark} to ${gate.advances.value}` : "";
    lines.push(`gate ${gate.gate} awaits approval (${gate.result})${advance}: runledger gate approve|reject ${gate.gate} --run ${view.id} --reason "…"`);
  }
  for (const v of view.violations) lines.push(`violation ${v.kind} in ${v.task}: ${v.detail}`);
  if (view.evidence.length > 0)
    lines.push(`evidence (${view.work_mode}): ${view.evidence.map((e) => `${e.met ? "+" : "-"}${e.item}${e.required ? "" : "?"}`).join(" ")}`);
  for (const rule of view.stop_rules) lines.push(`stop rule ${rule.rule}: ${rule.detail}`);
  if (view.next) lines.push(`next: ${view.next}`);
  if (view.finished_at_utc !== null && !view.counted)
    lines.push(`not counted: ${view.next === null ? 'no next pointer (add one: runledger next <run> "…")' : "required evidence missing"}`);
  return lines;
}
