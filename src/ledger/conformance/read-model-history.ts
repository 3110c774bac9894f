import type { NewEvent } from "../ledger-event.js";
import { SERVICE_ACTOR, sampleRunEvents } from "./sample-events.js";

const digest = (text: string) => `sha256:${Buffer.from(text).toString("hex").padEnd(64, "0").slice(0, 64)}` as const;

/**
 * A run of every kind of document the read models keep: the sample run, then a cached attempt, a
 * gate advancing a watermark, a violation, a stop rule and a monitor's suggestion. Ids carry case
 * and non-ASCII letters, so that byte order (what keys sort by on every backend) shows.
 */
export function readModelRunEvents(runId: string, project = "default"): NewEvent[] {
  const e = (event: Omit<NewEvent, "project" | "actor">) => ({ ...event, project, actor: SERVICE_ACTOR }) as NewEvent;
  const attempt = `${runId}-gated-1`;
  return [
    ...sampleRunEvents(runId, project),
    e({
      type: "attempt.started",
      data: {
        attempt_id: attempt,
        attempt_number: 1,
        cache_key: digest(`cache ${runId}`),
        job_id: `${runId}-gated`,
        operator_ref: "gated@1",
        run_id: runId,
        task: "gated",
      },
    }),
    e({ type: "artifact.stored", data: { digest: digest("shared"), size_bytes: 12, name: "outputs.json", attempt_id: attempt } }),
    e({ type: "attempt.succeeded", data: { attempt_id: attempt, outputs: [], receipt_digest: digest(`receipt ${runId}`), result: "PASS" } }),
    e({
      type: "gate.evaluated",
      data: {
        advances: { value: `${runId}-v1`, watermark: "daily" },
        approval: false,
        checks: [{ name: "rows", result: "PASS" }],
        gate: "publish",
        result: "PASS",
        run_id: runId,
        status: "passed",
        task: "gated",
      },
    }),
    e({ type: "watermark.advanced", data: { gate: "publish", run_id: runId, value: `${runId}-v1`, watermark: "daily" } }),
    e({ type: "watermark.advanced", data: { gate: "publish", run_id: runId, value: `${runId}-v1`, watermark: `Ümlaut-${runId}` } }),
    e({
      type: "violation.recorded",
      data: { attempt_id: attempt, detail: "wrote an undeclared file", kind: "undeclared_output", run_id: runId, task: "gated" },
    }),
    e({ type: "stoprule.fired", data: { detail: "timebox reached", mode: "PIPELINE", rule: "timebox", run_id: runId } }),
    e({ type: "monitor.suggested", data: { key: digest(`suggest ${runId}`), level: "WARN", message: "slow task", monitor: "durations", subject: runId } }),
  ];
}
