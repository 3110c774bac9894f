import { HUMAN_ACTOR, SERVICE_ACTOR, sampleRunEvents } from "../../src/ledger/conformance/sample-events.js";
import type { NewEvent } from "../../src/ledger/ledger-event.js";

const digest = (n: number) => `sha256:${n.toString(16).padStart(64, "0")}` as const;
const e = (event: Omit<NewEvent, "project" | "actor">, actor = SERVICE_ACTOR): NewEvent => ({ ...event, project: "default", actor }) as NewEvent;

/**
 * A fixed history that touches every read model: runs, retries, reuse, skips, artifacts shared by
 * attempts, gates decided by a person, watermarks advanced, overridden and invalidated, a manual
 * attempt completed, an abandoned one, effects, a violation, stop rules, monitor suggestions and a
 * DebugPacket. `fanOut` adds a run of that many tasks whose outputs share one digest.
 */
export function governedHistory(fanOut = 150): NewEvent[][] {
  return [sampleRunEvents("run-a"), gatedRun("run-b"), manualRun("run-c"), fanOutRun("run-d", fanOut), debugAndAdmin("run-c"), sampleRunEvents("run-e")];
}

export function gatedRun(runId: string): NewEvent[] {
  const gate = { gate: "ingestion-gate", run_id: runId, task: "gate" };
  return [
    e(
      {
        type: "run.requested",
        data: {
          run_id: runId,
          pipeline: "ingest",
          as_of: "2026-01-02T00:00:00.000Z",
          work_mode: "PIPELINE",
          run_mode: "real",
          enforcement: "enforced",
          params: { z: "1", a: "2" },
          tasks: ["load", "gate"],
        },
      },
      HUMAN_ACTOR,
    ),
    e({ type: "run.started", data: { run_id: runId } }),
    e({
      type: "attempt.started",
      data: { run_id: runId, task: "gate", job_id: `${runId}-g`, attempt_id: `${runId}-g1`, attempt_number: 1, operator_ref: "gate@1", cache_key: digest(77) },
    }),
    e({
      type: "gate.evaluated",
      data: {
        ...gate,
        approval: true,
        checks: [{ name: "schema", result: "PASS" }],
        result: "WARN",
        status: "awaiting_approval",
        advances: { value: "2026-01-02", watermark: "us.ctt" },
      },
    }),
    e({ type: "run.suspended", data: { run_id: runId, tasks: ["gate"] } }),
    e(
      {
        type: "admin.recorded",
        data: {
          admin_event_id: `${runId}-approve`,
          action_type: "gate_approve",
          reason: "reviewed",
          targets: [
            { kind: "run", id: runId },
            { kind: "gate", id: "ingestion-gate" },
          ],
          before: { status: "awaiting_approval", checks: [{ name: "schema", result: "PASS" }] },
          after: { status: "approved", advances: { watermark: "us.ctt", value: "2026-01-02" } },
          result: "applied",
        },
      },
      HUMAN_ACTOR,
    ),
    e({
      type: "watermark.advanced",
      data: { gate: "ingestion-gate", run_id: runId, value: "2026-01-02", watermark: "us.ctt", definition: { name: "proxy-set", version: "v1" } },
    }),
    e({ type: "watermark.invalidated", data: { by_version: "v2", reason: "proxy set changed", watermark: "us.ctt" } }),
    e({
      type: "effect.called",
      data: {
        attempt_id: `${runId}-g1`,
        call_number: 1,
        effect: "notify",
        enforcement: "shadow",
        outcome: "recorded",
        payload_digest: digest(5),
        run_id: runId,
        run_mode: "real",
        task: "gate",
      },
    }),
    e({ type: "attempt.succeeded", data: { attempt_id: `${runId}-g1`, receipt_digest: digest(6), result: "WARN", outputs: [] } }),
    e({ type: "run.finished", data: { run_id: runId, status: "succeeded", result: "WARN", next: "review the epoch" } }),
    e({ type: "next.recorded", data: { run_id: runId, next: "publish the epoch" } }),
  ];
}

function manualRun(runId: string): NewEvent[] {
  return [
    e(
      {
        type: "run.requested",
        data: {
          run_id: runId,
          pipeline: "review",
          as_of: "2026-01-03T00:00:00.000Z",
          work_mode: "CONTRACT",
          run_mode: "mock",
          enforcement: "shadow",
          params: {},
          tasks: ["check", "sign"],
        },
      },
      HUMAN_ACTOR,
    ),
    e({ type: "run.started", data: { run_id: runId } }),
    e({
      type: "attempt.started",
      data: { run_id: runId, task: "check", job_id: `${runId}-c`, attempt_id: `${runId}-c1`, attempt_number: 1, operator_ref: "check@2" },
    }),
    e({ type: "attempt.abandoned", data: { attempt_id: `${runId}-c1`, reason: "engine stopped" } }),
    e({
      type: "attempt.started",
      data: { run_id: runId, task: "check", job_id: `${runId}-c`, attempt_id: `${runId}-c2`, attempt_number: 2, operator_ref: "check@2" },
    }),
    e({ type: "violation.recorded", data: { attempt_id: `${runId}-c2`, detail: "wrote /etc/x", kind: "undeclared_output", run_id: runId, task: "check" } }),
    e({ type: "attempt.failed", data: { attempt_id: `${runId}-c2`, error_code: "ERR_OUTPUT_UNDECLARED", reason: "wrote /etc/x", retryable: false } }),
    e({ type: "stoprule.fired", data: { detail: "a violation halts the run", mode: "CONTRACT", rule: "violation", run_id: runId, subject: "check" } }),
    e({
      type: "attempt.started",
      data: { run_id: runId, task: "sign", job_id: `${runId}-s`, attempt_id: `${runId}-s1`, attempt_number: 1, operator_ref: "sign@1" },
    }),
    e({
      type: "attempt.suspended",
      data: { attempt_id: `${runId}-s1`, by: "human", deadline_utc: "2026-01-04T00:00:00.000Z", outputs: ["signature.txt"], steps: ["read", "sign"] },
    }),
    e({ type: "run.paused", data: { run_id: runId, reason: "pipeline paused" } }),
    e({ type: "attempt.completed", data: { attempt_id: `${runId}-s1`, late: false, note: "signed", result: "PASS" } }, HUMAN_ACTOR),
    e({ type: "run.finished", data: { run_id: runId, status: "failed", result: "FAIL", next: "open a DebugPacket" } }),
  ];
}

function fanOutRun(runId: string, tasks: number): NewEvent[] {
  const names = Array.from({ length: tasks }, (_, i) => `t${String(i).padStart(4, "0")}`);
  const events = [
    e(
      {
        type: "run.requested",
        data: {
          run_id: runId,
          pipeline: "fan",
          as_of: "2026-01-05T00:00:00.000Z",
          work_mode: "PIPELINE",
          run_mode: "mock",
          enforcement: "shadow",
          params: {},
          tasks: names,
        },
      },
      HUMAN_ACTOR,
    ),
    e({ type: "run.started", data: { run_id: runId } }),
  ];
  names.forEach((task, i) => {
    const attempt = `${runId}-${task}`;
    events.push(
      e({
        type: "attempt.started",
        data: { run_id: runId, task, job_id: attempt, attempt_id: attempt, attempt_number: 1, operator_ref: "echo@1", cache_key: digest(1000 + i) },
      }),
      e({ type: "artifact.stored", data: { digest: digest(9), size_bytes: 2, name: "out.txt", attempt_id: attempt } }),
      e({ type: "artifact.stored", data: { digest: digest(2000 + i), size_bytes: 80, name: "outputs.json", attempt_id: attempt } }),
      e({ type: "check.evaluated", data: { attempt_id: attempt, name: "nonEmpty", result: "PASS" } }),
      e({
        type: "attempt.succeeded",
        data: { attempt_id: attempt, receipt_digest: digest(3000 + i), result: "PASS", outputs: [{ path: "out.txt", digest: digest(9), size_bytes: 2 }] },
      }),
    );
  });
  events.push(e({ type: "run.finished", data: { run_id: runId, status: "succeeded", result: "PASS", next: "nothing" } }));
  return events;
}

function debugAndAdmin(runId: string): NewEvent[] {
  const id = "dbg-1";
  return [
    e(
      {
        type: "debug.opened",
        data: {
          debug_packet_id: id,
          run_id: runId,
          work_mode: "CONTRACT",
          symptom: "check failed",
          context: { b: 1, a: 2 },
          minimal_repro: { actual: "x", commands: ["run"], expected: "y", inputs: ["a"] },
        },
      },
      HUMAN_ACTOR,
    ),
    e({ type: "debug.hypothesized", data: { debug_packet_id: id, hypothesis: "bad input" } }, HUMAN_ACTOR),
    e(
      {
        type: "debug.experimented",
        data: { debug_packet_id: id, change: "fixed input", result: "passes", evidence: [{ digest: digest(11), name: "log.txt", size_bytes: 10 }] },
      },
      HUMAN_ACTOR,
    ),
    e(
      { type: "debug.closed", data: { debug_packet_id: id, decision: "fix input", next: "rerun", regression_guard: "a test", time_spent_minutes: 12 } },
      HUMAN_ACTOR,
    ),
    e({ type: "monitor.suggested", data: { key: digest(12), level: "WARN", message: "failures rising", monitor: "failure-rate", subject: "review" } }),
    e({ type: "monitor.suggested", data: { key: digest(12), level: "WARN", message: "failures rising again", monitor: "failure-rate", subject: "review" } }),
    e({ type: "stoprule.fired", data: { detail: "timebox exceeded", mode: "PIPELINE", rule: "timebox" } }),
    e(
      {
        type: "admin.recorded",
        data: {
          admin_event_id: "override-1",
          action_type: "watermark_override",
          reason: "mispriced bar",
          targets: [{ kind: "watermark", id: "us.ctt" }],
          before: { value: "2026-01-02", valid: false },
          after: { value: "2026-01-01" },
          result: "applied",
        },
      },
      HUMAN_ACTOR,
    ),
  ];
}
