import type { Actor } from "../../contracts/common.js";
import type { NewEvent } from "../ledger-event.js";

export const SERVICE_ACTOR: Actor = { kind: "service", id: "runledger-engine" };
export const HUMAN_ACTOR: Actor = { kind: "human", id: "ada", profile: "approver" };
const digest = (n: number) => `sha256:${n.toString(16).padStart(64, "0")}` as const;

type Emit = (event: Omit<NewEvent, "project" | "actor">, actor?: Actor) => NewEvent;

/** A scripted run: requested, started, a retried task, a reused task, a skipped task, checks, artifacts, an admin action. */
export function sampleRunEvents(runId: string, project = "default"): NewEvent[] {
  const at = (k: string) => `${runId}-${k}`;
  const e: Emit = (event, actor = SERVICE_ACTOR) => ({ ...event, project, actor }) as NewEvent;
  return [...openingEvents(runId, e), ...taskEvents(runId, at, e), ...closingEvents(runId, at, e)];
}

/** The run requested by a person and started by the engine. */
function openingEvents(runId: string, e: Emit): NewEvent[] {
  return [
    e(
      {
        type: "run.requested",
        data: {
          run_id: runId,
          pipeline: "hello",
          as_of: "2026-01-02T00:00:00.000Z",
          work_mode: "PIPELINE",
          run_mode: "mock",
          enforcement: "shadow",
          params: { market: "us" },
          tasks: ["numbers", "total", "report"],
        },
      },
      HUMAN_ACTOR,
    ),
    e({ type: "run.started", data: { run_id: runId } }),
  ];
}

/** A task failed then retried to a pass, with its artifact and check; a task reused from an earlier run. */
function taskEvents(runId: string, at: (k: string) => string, e: Emit): NewEvent[] {
  return [
    e({
      type: "attempt.started",
      data: { run_id: runId, task: "numbers", job_id: at("numbers"), attempt_id: at("a1"), attempt_number: 1, operator_ref: "numbers@1" },
    }),
    e({ type: "attempt.failed", data: { attempt_id: at("a1"), error_code: "ERR_TIMEOUT", reason: "timed out after 30s", retryable: true } }),
    e({
      type: "attempt.started",
      data: { run_id: runId, task: "numbers", job_id: at("numbers"), attempt_id: at("a2"), attempt_number: 2, operator_ref: "numbers@1" },
    }),
    e({ type: "artifact.stored", data: { digest: digest(1), size_bytes: 292, name: "outputs/numbers.txt", attempt_id: at("a2") } }),
    e({ type: "check.evaluated", data: { attempt_id: at("a2"), name: "nonEmpty", result: "PASS", evidence: { bytes: 292 } } }),
    e({
      type: "attempt.succeeded",
      data: { attempt_id: at("a2"), receipt_digest: digest(2), result: "PASS", outputs: [{ path: "outputs/numbers.txt", digest: digest(1), size_bytes: 292 }] },
    }),
    e({
      type: "attempt.reused",
      data: {
        run_id: runId,
        task: "total",
        job_id: at("total"),
        attempt_id: at("a3"),
        source_attempt_id: "earlier",
        receipt_digest: digest(3),
        result: "PASS",
        outputs: [],
      },
    }),
  ];
}

/** A skipped task, the run's end with its next pointer, and an admin action. */
function closingEvents(runId: string, at: (k: string) => string, e: Emit): NewEvent[] {
  return [
    e({ type: "task.skipped", data: { run_id: runId, task: "report", reason: "upstream-not-passed" } }),
    e({ type: "run.finished", data: { run_id: runId, status: "degraded", result: "FAIL", next: "fix the report input" } }),
    e(
      {
        type: "admin.recorded",
        data: {
          admin_event_id: at("adm"),
          action_type: "pause",
          reason: "maintenance window",
          targets: [{ kind: "pipeline", id: "hello" }],
          before: { paused: false },
          after: { paused: true },
          result: "applied",
        },
      },
      HUMAN_ACTOR,
    ),
  ];
}
