import { z } from "zod";
import { ERROR_CODES } from "../core/errors.js";
import { DigestSchema, TimestampSchema } from "../contracts/common.js";

const id = z.string().min(1).max(200);
const errorCode = z.enum(ERROR_CODES as [string, ...string[]]);
const json = z.unknown();

/**
 * The event catalogue: every event type the ledger accepts, with its payload schema. Names are
 * namespaced and past tense; handlers switch over them exhaustively.
 */
export const EVENT_CATALOGUE = {
  "workspace.initialized": z.object({ name: z.string(), format_version: z.number().int() }).strict(),
  "run.requested": z
    .object({
      run_id: id,
      pipeline: z.string().min(1),
      pipeline_digest: DigestSchema.optional(),
      as_of: TimestampSchema,
      work_mode: z.string().min(1),
      run_mode: z.enum(["mock", "real"]),
      enforcement: z.enum(["shadow", "enforced"]),
      params: z.record(z.string(), z.string()),
    })
    .strict(),
  "run.started": z.object({ run_id: id }).strict(),
  "run.finished": z
    .object({
      run_id: id,
      status: z.enum(["succeeded", "degraded", "failed", "halted"]),
      result: z.enum(["PASS", "WARN", "FAIL"]),
      next: z.string().nullable(),
    })
    .strict(),
  "task.skipped": z.object({ run_id: id, task: z.string().min(1), reason: z.string().min(1) }).strict(),
  "attempt.started": z
    .object({
      run_id: id,
      task: z.string().min(1),
      job_id: id,
      attempt_id: id,
      attempt_number: z.number().int().min(1),
      operator_ref: z.string().min(1),
      cache_key: DigestSchema.optional(),
    })
    .strict(),
  "attempt.succeeded": z.object({ attempt_id: id, receipt_digest: DigestSchema }).strict(),
  "attempt.failed": z
    .object({
      attempt_id: id,
      error_code: errorCode,
      reason: z.string(),
      retryable: z.boolean(),
      receipt_digest: DigestSchema.optional(),
    })
    .strict(),
  "attempt.abandoned": z.object({ attempt_id: id, reason: z.string() }).strict(),
  "attempt.reused": z
    .object({
      run_id: id,
      task: z.string().min(1),
      job_id: id,
      attempt_id: id,
      source_attempt_id: id,
      receipt_digest: DigestSchema,
    })
    .strict(),
  "check.evaluated": z
    .object({
      attempt_id: id,
      name: z.string().min(1),
      result: z.enum(["PASS", "WARN", "FAIL"]),
      evidence: json.optional(),
    })
    .strict(),
  "artifact.stored": z
    .object({
      digest: DigestSchema,
      size_bytes: z.number().int().min(0),
      name: z.string().optional(),
      media_type: z.string().optional(),
      attempt_id: id.optional(),
    })
    .strict(),
  "admin.recorded": z
    .object({
      admin_event_id: id,
      action_type: z.string().min(1),
      reason: z.string().min(1),
      targets: z.array(z.object({ kind: z.string(), id: z.string() }).strict()),
      before: json.optional(),
      after: json.optional(),
      result: z.enum(["applied", "refused", "failed"]),
    })
    .strict(),
} as const;

export type EventType = keyof typeof EVENT_CATALOGUE;
export const EVENT_TYPES = Object.keys(EVENT_CATALOGUE) as readonly EventType[];
export type EventData<T extends EventType> = z.infer<(typeof EVENT_CATALOGUE)[T]>;

export function isEventType(value: string): value is EventType {
  return Object.hasOwn(EVENT_CATALOGUE, value);
}
