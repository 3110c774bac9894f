import { basename, join } from "node:path";
import { RunledgerError } from "../core/errors.js";
import type { Run, RunSummary } from "../contracts/run.js";
import type { AttemptView, ProjectionState, RunView } from "../ledger/projections/projection-state.js";

/** A run as `runs` lists it. */
export function runSummary(run: RunView) {
  return {
    id: run.id,
    pipeline: run.pipeline,
    project: run.project,
    status: run.status,
    result: run.result,
    as_of: run.as_of,
    requested_at_utc: run.requested_at_utc,
    work_mode: run.work_mode,
    next: run.next,
    counted: run.counted,
  } satisfies RunSummary;
}

/**
 * A run as `run` and `show` print it under the key `run`: the published contract `Run`. A
 * WAITING task carries `waiting`: its steps, who performs them, the end of its timebox, the
 * `runledger complete` command to record the outcome, and (given `workRoot`) where its inputs are.
 */
export function runJson(state: ProjectionState, run: RunView, workRoot?: string) {
  return {
    ...runSummary(run),
    mode_selection: run.mode_selection,
    run_mode: run.run_mode,
    enforcement: run.enforcement,
    params: run.params,
    finished_at_utc: run.finished_at_utc,
    evidence: run.evidence ?? [],
    manifest_digest: run.manifest_digest,
    stop_rules: run.stop_rules.map((r) => ({ rule: r.rule, subject: r.subject, detail: r.detail })),
    gates: Object.values(state.gates)
      .filter((g) => g.run_id === run.id)
      .map((g) => ({ gate: g.gate, status: g.status, result: g.result, checks: g.checks.map((c) => ({ name: c.name, result: c.result })), advances: g.advances, decided_by: g.decided_by, reason: g.reason })),
    violations: run.violations.map((v) => ({ kind: v.kind, task: v.task, attempt_id: v.attempt_id, detail: v.detail })),
    tasks: Object.values(run.tasks).map((task) => {
      const attempts = task.attempts.map((id) => state.attempts[id]).filter((a) => a !== undefined);
      return {
        name: task.name,
        outcome: task.outcome,
        reason: task.reason,
        checks: (attempts.at(-1)?.checks ?? []).map((c) => ({ name: c.name, result: c.result })),
        attempts: attempts.map((a) => ({
          id: a.attempt_id,
          status: a.status,
          receipt_digest: a.receipt_digest,
          error_code: a.error_code,
          source_attempt_id: a.source_attempt_id,
          ...(a.completion === null ? {} : { completed_by: a.completion.actor, completed_result: a.completion.result, note: a.completion.note, late: a.completion.late }),
          effects: a.effects.map((e) => ({ call_number: e.call_number, effect: e.effect, enforcement: e.enforcement, run_mode: e.run_mode, outcome: e.outcome, payload_digest: e.payload_digest, result_digest: e.result_digest, error_code: e.error_code })),
        })),
        waiting: waitingJson(run, task.name, attempts.at(-1), workRoot),
      };
    }),
  } satisfies Run;
}

function waitingJson(run: RunView, task: string, attempt: AttemptView | undefined, workRoot: string | undefined) {
  if (attempt?.status !== "waiting" || attempt.manual === null) return null;
  return {
    attempt_id: attempt.attempt_id,
    by: attempt.manual.by,
    steps: [...attempt.manual.steps],
    evidence: [...attempt.manual.outputs],
    deadline_utc: attempt.manual.deadline_utc,
    ...(workRoot === undefined ? {} : { inputs_dir: join(workRoot, run.id, `${task}.${attempt.attempt_number}`, "inputs") }),
    complete: `runledger complete ${run.id} ${task} --evidence ${attempt.manual.outputs.map((o) => basename(o)).join(" ")} --result PASS`,
  };
}

/** Finds a run by its id or a unique prefix of it. */
export function findRun(state: ProjectionState, idOrPrefix: string): RunView {
  const exact = state.runs[idOrPrefix];
  if (exact) return exact;
  const matches = Object.keys(state.runs).filter((id) => id.startsWith(idOrPrefix));
  if (matches.length === 1) return state.runs[matches[0] as string] as RunView;
  throw new RunledgerError("ERR_RUN_NOT_FOUND", { detail: matches.length > 1 ? `${idOrPrefix} is ambiguous (${matches.length} runs)` : idOrPrefix });
}

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
  if (view.evidence.length > 0) lines.push(`evidence (${view.work_mode}): ${view.evidence.map((e) => `${e.met ? "+" : "-"}${e.item}${e.required ? "" : "?"}`).join(" ")}`);
  for (const rule of view.stop_rules) lines.push(`stop rule ${rule.rule}: ${rule.detail}`);
  if (view.next) lines.push(`next: ${view.next}`);
  if (view.finished_at_utc !== null && !view.counted) lines.push(`not counted: ${view.next === null ? "no next pointer (add one: runledger next <run> \"…\")" : "required evidence missing"}`);
  return lines;
}
