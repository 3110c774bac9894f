import { z } from "zod";
import { ERROR_CODES } from "../core/errors.js";
import { DigestSchema, TimestampSchema } from "../contracts/common.js";

const id = z.string().min(1).max(200);
const errorCode = z.enum(ERROR_CODES as [string, ...string[]]);
const json = z.unknown();
const outputs = z.array(z.object({ digest: DigestSchema, path: z.string().min(1), size_bytes: z.number().int().min(0) }).strict());
const passed = z.enum(["PASS", "WARN"]);

/**
 * The event catalogue: every event type the ledger accepts, with its payload schema. Names are
 * namespaced and past tense; handlers switch over them exhaustively. Payload keys are declared in
 * sorted order: zod's output keeps that order, so event bodies take canonical JSON's fast path.
 */
export const EVENT_CATALOGUE = {
  "workspace.initialized": z.object({ format_version: z.number().int(), name: z.string() }).strict(),
  "run.requested": z
    .object({
      as_of: TimestampSchema,
      enforcement: z.enum(["shadow", "enforced"]),
      /** How the one work mode was chosen: flag, title classification, or the pipeline's. */
      mode_selection: z
        .object({ classified: z.string().nullable(), override: z.boolean(), source: z.enum(["flag", "title", "pipeline"]), title: z.string().nullable() })
        .strict()
        .optional(),
      params: z.record(z.string(), z.string()),
      pipeline: z.string().min(1),
      pipeline_digest: DigestSchema.optional(),
      run_id: id,
      run_mode: z.enum(["mock", "real"]),
      /** The pipeline file the run came from, so `resume` can load it again. */
      source: z.string().optional(),
      /** The tasks in plan order. */
      tasks: z.array(z.string().min(1)),
      work_mode: z.string().min(1),
    })
    .strict(),
  "run.started": z.object({ run_id: id }).strict(),
  "run.finished": z
    .object({
      /** The run's evidence against its mode's pattern; absent when the engine halted. */
      evidence: z
        .array(z.object({ by: z.array(z.string()), description: z.string(), item: z.string().min(1), met: z.boolean(), required: z.boolean() }).strict())
        .optional(),
      /** The run manifest: counts, and every passed output with its digest. */
      manifest_digest: DigestSchema.optional(),
      next: z.string().nullable(),
      result: z.enum(["PASS", "WARN", "FAIL"]),
      run_id: id,
      status: z.enum(["succeeded", "degraded", "failed", "halted"]),
    })
    .strict(),
  /** A next pointer left after the run ended (`runledger next`, or the prompt of an interactive run). */
  "next.recorded": z.object({ next: z.string().min(1), run_id: id }).strict(),
  "task.skipped": z.object({ reason: z.string().min(1), run_id: id, task: z.string().min(1) }).strict(),
  "attempt.started": z
    .object({
      attempt_id: id,
      attempt_number: z.number().int().min(1),
      cache_key: DigestSchema.optional(),
      job_id: id,
      operator_ref: z.string().min(1),
      run_id: id,
      task: z.string().min(1),
    })
    .strict(),
  "attempt.succeeded": z.object({ attempt_id: id, outputs, receipt_digest: DigestSchema, result: passed }).strict(),
  "attempt.failed": z
    .object({
      attempt_id: id,
      error_code: errorCode,
      reason: z.string(),
      receipt_digest: DigestSchema.optional(),
      retryable: z.boolean(),
    })
    .strict(),
  "attempt.abandoned": z.object({ attempt_id: id, reason: z.string() }).strict(),
  "attempt.reused": z
    .object({
      attempt_id: id,
      job_id: id,
      outputs,
      receipt_digest: DigestSchema,
      result: passed,
      run_id: id,
      source_attempt_id: id,
      task: z.string().min(1),
    })
    .strict(),
  "check.evaluated": z
    .object({
      attempt_id: id,
      evidence: json.optional(),
      name: z.string().min(1),
      result: z.enum(["PASS", "WARN", "FAIL"]),
    })
    .strict(),
  "artifact.stored": z
    .object({
      attempt_id: id.optional(),
      digest: DigestSchema,
      media_type: z.string().optional(),
      name: z.string().optional(),
      size_bytes: z.number().int().min(0),
    })
    .strict(),
  /** A stop rule of seed 000 fired: the universal timebox rule or a mode-specific one. */
  "stoprule.fired": z
    .object({
      detail: z.string().min(1),
      mode: z.string().min(1),
      rule: z.string().min(1),
      run_id: id.optional(),
      /** What the rule fired on, e.g. a task name or a DebugPacket id. */
      subject: z.string().optional(),
    })
    .strict(),
  /** One call of an operator's effects client: the decision trace of shadow | enforced (seed 001 §2.4). */
  "effect.called": z
    .object({
      attempt_id: id,
      /** The call's number within its attempt, from 1. */
      call_number: z.number().int().min(1),
      effect: z.string().min(1),
      enforcement: z.enum(["shadow", "enforced"]),
      error_code: errorCode.optional(),
      /** recorded: went to the sink (shadow or mock); executed: performed; refused: undeclared or no handler; failed: the handler threw. */
      outcome: z.enum(["recorded", "executed", "refused", "failed"]),
      payload_digest: DigestSchema,
      result_digest: DigestSchema.optional(),
      run_id: id,
      run_mode: z.enum(["mock", "real"]),
      task: z.string().min(1),
    })
    .strict(),
  /** An operator broke its declaration; the run halts. Kept generic so a later policy (quarantine) can act on any kind. */
  "violation.recorded": z
    .object({
      attempt_id: id,
      detail: z.string().min(1),
      kind: z.enum(["undeclared_effect", "undeclared_output", "undeclared_secret"]),
      run_id: id,
      task: z.string().min(1),
    })
    .strict(),
  "admin.recorded": z
    .object({
      action_type: z.string().min(1),
      admin_event_id: id,
      after: json.optional(),
      before: json.optional(),
      reason: z.string().min(1),
      result: z.enum(["applied", "refused", "failed"]),
      targets: z.array(z.object({ id: z.string(), kind: z.string() }).strict()),
    })
    .strict(),
} as const;

export type EventType = keyof typeof EVENT_CATALOGUE;
export const EVENT_TYPES = Object.keys(EVENT_CATALOGUE) as readonly EventType[];
export type EventData<T extends EventType> = z.infer<(typeof EVENT_CATALOGUE)[T]>;

export function isEventType(value: string): value is EventType {
  return Object.hasOwn(EVENT_CATALOGUE, value);
}
