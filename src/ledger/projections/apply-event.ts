import { isCounted } from "../../modes/assess-evidence.js";
import { moveWatermark } from "./watermark-state.js";
import type { LedgerEvent } from "../ledger-event.js";
import { applyAdminEffects } from "./apply-admin-event.js";
import { applyDebugEvent } from "./apply-debug-event.js";
import type { AttemptView, ProjectionState, RunView, TaskView } from "./projection-state.js";

/**
 * Folds one event into the state. Pure in its inputs: the same events in the same order always
 * give the same state, which is what makes a rebuild from scratch equal to incremental updates.
 */
export function applyEvent(state: ProjectionState, event: LedgerEvent): void {
  state.seq = event.seq;
  switch (event.type) {
    case "workspace.initialized":
      return;
    case "run.requested": {
      const d = event.data;
      state.runs[d.run_id] = {
        id: d.run_id,
        project: event.project,
        pipeline: d.pipeline,
        pipeline_digest: d.pipeline_digest ?? null,
        source: d.source ?? null,
        as_of: d.as_of,
        work_mode: d.work_mode,
        run_mode: d.run_mode,
        enforcement: d.enforcement,
        params: d.params,
        requested_at_utc: event.at,
        requested_by: event.actor,
        status: "requested",
        result: null,
        started_at_utc: null,
        finished_at_utc: null,
        next: null,
        mode_selection: d.mode_selection ?? null,
        evidence: null,
        manifest_digest: null,
        counted: false,
        stop_rules: [],
        violations: [],
        tasks: Object.fromEntries(d.tasks.map((name) => [name, { name, outcome: "PENDING", reason: null, attempts: [] }])),
      };
      return;
    }
    case "run.started": {
      const run = state.runs[event.data.run_id];
      if (!run) return;
      run.status = "running";
      // A paused run that resumes starts again; it keeps the time it first started.
      run.started_at_utc ??= event.at;
      return;
    }
    case "run.finished": {
      const run = state.runs[event.data.run_id];
      if (!run) return;
      run.status = event.data.status;
      run.result = event.data.result;
      // A next pointer recorded while the run was open stands unless the end brings its own.
      run.next = event.data.next ?? run.next;
      run.evidence = event.data.evidence ?? null;
      run.manifest_digest = event.data.manifest_digest ?? null;
      run.counted = isCounted(run.evidence, run.next);
      run.finished_at_utc = event.at;
      return;
    }
    case "run.suspended":
    case "run.paused": {
      // Not finished: waiting for manual tasks or gates, or paused by an admin; `resume` goes on.
      const run = state.runs[event.data.run_id];
      if (run) run.status = event.type === "run.paused" ? "paused" : "waiting";
      return;
    }
    case "next.recorded": {
      const run = state.runs[event.data.run_id];
      if (!run) return;
      run.next = event.data.next;
      run.counted = isCounted(run.evidence, run.next);
      return;
    }
    case "task.skipped": {
      const task = taskOf(state.runs[event.data.run_id], event.data.task);
      if (!task) return;
      task.outcome = "SKIPPED";
      task.reason = event.data.reason;
      return;
    }
    case "attempt.started":
    case "attempt.reused": {
      const d = event.data;
      const reused = event.type === "attempt.reused";
      state.attempts[d.attempt_id] = {
        job_id: d.job_id,
        attempt_id: d.attempt_id,
        attempt_number: reused ? 1 : event.data.attempt_number,
        operator_ref: reused ? null : event.data.operator_ref,
        status: reused ? "reused" : "running",
        created_at_utc: event.at,
        updated_at_utc: event.at,
        correlation_ids: { run_id: d.run_id, task: d.task, project: event.project },
        error_code: null,
        retryable: false,
        reason: null,
        receipt_digest: reused ? event.data.receipt_digest : null,
        source_attempt_id: reused ? event.data.source_attempt_id : null,
        cache_key: reused ? null : (event.data.cache_key ?? null),
        result: reused ? event.data.result : null,
        outputs: reused ? event.data.outputs : [],
        checks: reused ? [...(state.attempts[event.data.source_attempt_id]?.checks ?? [])] : [],
        manual: null,
        completion: null,
        effects: [],
      };
      const task = taskOf(state.runs[d.run_id], d.task);
      if (!task) return;
      task.attempts.push(d.attempt_id);
      task.outcome = reused ? "SUCCESS" : "RUNNING";
      task.reason = reused ? "reused" : null;
      return;
    }
    case "attempt.succeeded":
      settle(state, event.data.attempt_id, event.at, (a) => {
        a.status = "succeeded";
        a.receipt_digest = event.data.receipt_digest;
        a.result = event.data.result;
        a.outputs = event.data.outputs;
        if (a.cache_key !== null) state.cache[a.cache_key] ??= a.attempt_id;
      }, "SUCCESS");
      return;
    case "attempt.failed":
      settle(state, event.data.attempt_id, event.at, (a) => {
        a.status = "failed";
        a.error_code = event.data.error_code;
        a.retryable = event.data.retryable;
        a.reason = event.data.reason;
        a.receipt_digest = event.data.receipt_digest ?? null;
      }, "FAILED");
      return;
    case "attempt.suspended":
      settle(state, event.data.attempt_id, event.at, (a) => {
        a.status = "waiting";
        a.manual = { steps: event.data.steps, by: event.data.by, outputs: event.data.outputs, deadline_utc: event.data.deadline_utc };
      }, "WAITING");
      return;
    case "attempt.completed": {
      const attempt = state.attempts[event.data.attempt_id];
      if (!attempt) return;
      attempt.completion = { actor: event.actor, result: event.data.result, note: event.data.note ?? null, late: event.data.late, at_utc: event.at };
      const run = state.runs[attempt.correlation_ids.run_id];
      if (run?.status === "waiting") run.status = "running";
      return;
    }
    case "attempt.abandoned":
      settle(state, event.data.attempt_id, event.at, (a) => {
        a.status = "abandoned";
        a.retryable = true;
        a.reason = event.data.reason;
      }, "PENDING");
      return;
    case "check.evaluated": {
      const attempt = state.attempts[event.data.attempt_id];
      if (attempt) attempt.checks.push({ name: event.data.name, result: event.data.result });
      return;
    }
    case "artifact.stored": {
      const d = event.data;
      const artifact = (state.artifacts[d.digest] ??= { digest: d.digest, size_bytes: d.size_bytes, first_seq: event.seq, names: [], attempts: [] });
      if (d.name !== undefined && !artifact.names.includes(d.name)) artifact.names.push(d.name);
      if (d.attempt_id !== undefined && !artifact.attempts.includes(d.attempt_id)) artifact.attempts.push(d.attempt_id);
      return;
    }
    case "stoprule.fired": {
      const d = event.data;
      const fired = { rule: d.rule, mode: d.mode, detail: d.detail, subject: d.subject ?? null, run_id: d.run_id ?? null, fired_at_utc: event.at };
      state.stopRules.push(fired);
      if (d.run_id !== undefined) state.runs[d.run_id]?.stop_rules.push(fired);
      return;
    }
    case "effect.called": {
      const d = event.data;
      state.attempts[d.attempt_id]?.effects.push({
        call_number: d.call_number,
        effect: d.effect,
        enforcement: d.enforcement,
        run_mode: d.run_mode,
        outcome: d.outcome,
        payload_digest: d.payload_digest,
        result_digest: d.result_digest ?? null,
        error_code: d.error_code ?? null,
        called_at_utc: event.at,
      });
      return;
    }
    case "violation.recorded": {
      const d = event.data;
      state.violations.push({ seq: event.seq, run_id: d.run_id, task: d.task, attempt_id: d.attempt_id, operator_ref: state.attempts[d.attempt_id]?.operator_ref ?? "(unknown)", kind: d.kind, detail: d.detail, at_utc: event.at });
      state.runs[d.run_id]?.violations.push({ kind: d.kind, task: d.task, attempt_id: d.attempt_id, detail: d.detail, recorded_at_utc: event.at });
      return;
    }
    case "gate.evaluated": {
      const d = event.data;
      state.gates[`${d.run_id}/${d.gate}`] = { gate: d.gate, run_id: d.run_id, task: d.task, status: d.status, result: d.result, approval: d.approval, checks: d.checks, advances: d.advances ?? null, evaluated_at_utc: event.at, decided_by: null, decided_at_utc: null, reason: null };
      // The gate, not its attempt, decides the task: a failed gate fails it; one awaiting approval waits.
      const task = state.runs[d.run_id]?.tasks[d.task];
      if (task && d.status === "failed") {
        task.outcome = "FAILED";
        task.reason = `gate failed: ${d.checks.filter((c) => c.result === "FAIL").map((c) => c.name).join(", ")}`;
      } else if (task && d.status === "awaiting_approval") {
        task.outcome = "WAITING";
        task.reason = `gate awaits approval: runledger gate approve ${d.gate} --run ${d.run_id} --reason "…"`;
      }
      return;
    }
    case "watermark.advanced": {
      const d = event.data;
      moveWatermark(state.watermarks, { name: d.watermark, value: d.value, at_utc: event.at, by: `${event.actor.kind}:${event.actor.id}`, moved_by: { kind: "gate", gate: d.gate, run_id: d.run_id }, definition: d.definition ?? null });
      return;
    }
    case "watermark.invalidated": {
      const mark = state.watermarks[event.data.watermark];
      if (!mark) return;
      mark.valid = false;
      mark.invalidated = { reason: event.data.reason, at_utc: event.at, by_version: event.data.by_version };
      return;
    }
    case "monitor.suggested": {
      const d = event.data;
      state.suggestions[d.key] ??= { key: d.key, monitor: d.monitor, level: d.level, subject: d.subject, message: d.message, at_utc: event.at };
      return;
    }
    case "debug.opened":
    case "debug.hypothesized":
    case "debug.experimented":
    case "debug.closed":
      return applyDebugEvent(state, event);
    case "admin.recorded": {
      applyAdminEffects(state, event.data, event.at, event.actor);
      const { before, after, ...rest } = event.data;
      state.adminEvents.push({
        ...rest,
        seq: event.seq,
        project: event.project,
        actor: event.actor,
        observed_at_utc: event.at,
        ...(before === undefined ? {} : { before }),
        ...(after === undefined ? {} : { after }),
      });
      return;
    }
    default:
      return assertNever(event);
  }
}

function taskOf(run: RunView | undefined, name: string): TaskView | undefined {
  if (!run) return undefined;
  return (run.tasks[name] ??= { name, outcome: "PENDING", reason: null, attempts: [] });
}

function settle(
  state: ProjectionState,
  attemptId: string,
  at: string,
  update: (attempt: AttemptView) => void,
  outcome: TaskView["outcome"],
): void {
  const attempt = state.attempts[attemptId];
  if (!attempt) return;
  update(attempt);
  attempt.updated_at_utc = at;
  const task = taskOf(state.runs[attempt.correlation_ids.run_id], attempt.correlation_ids.task);
  if (!task) return;
  task.outcome = outcome;
  task.reason = attempt.reason;
}

function assertNever(value: never): never {
  throw new Error(`unhandled ledger event ${JSON.stringify(value)}`);
}
