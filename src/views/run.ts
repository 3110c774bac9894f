import { basename, join } from "node:path";
import type { Run } from "../contracts/run.js";
import type { AttemptView, ProjectionState, RunView } from "../ledger/projections/projection-state.js";
import type { ReadModels } from "../ledger/read-models/read-models.js";
import { findRun, findRunId } from "./find-run.js";
import { runSummary } from "./run-summary.js";

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
      .map((g) => ({
        gate: g.gate,
        status: g.status,
        result: g.result,
        checks: g.checks.map((c) => ({ name: c.name, result: c.result })),
        advances: g.advances,
        decided_by: g.decided_by,
        reason: g.reason,
      })),
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
          ...(a.completion === null
            ? {}
            : { completed_by: a.completion.actor, completed_result: a.completion.result, note: a.completion.note, late: a.completion.late }),
          effects: a.effects.map((e) => ({
            call_number: e.call_number,
            effect: e.effect,
            enforcement: e.enforcement,
            run_mode: e.run_mode,
            outcome: e.outcome,
            payload_digest: e.payload_digest,
            result_digest: e.result_digest,
            error_code: e.error_code,
          })),
        })),
        waiting: waitingJson(run, task.name, attempts.at(-1), workRoot),
      };
    }),
  } satisfies Run;
}

/** The run `idOrPrefix` names, as runJson shows it, reading that run alone (its attempts and gates) from the read models. */
export async function runJsonOf(models: ReadModels, idOrPrefix: string, workRoot?: string): Promise<ReturnType<typeof runJson>> {
  const id = await findRunId(models, idOrPrefix);
  const state = await models.stateFor({ runs: [id] });
  return runJson(state, findRun(state, id), workRoot);
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
