import { z } from "zod";
import { ERROR_CODES } from "../core/errors.js";
import { DigestSchema, TimestampSchema } from "../contracts/common.js";
import { EnforcementSchema, RunModeSchema } from "../contracts/run-mode.js";
import { FINISHED_RUN_STATUSES } from "../contracts/run.js";
import { VerdictSchema } from "../contracts/verdict.js";

const id = z.string().min(1).max(200);
const errorCode = z.enum(ERROR_CODES as [string, ...string[]]);
const json = z.unknown();
const outputs = z.array(z.object({ digest: DigestSchema, path: z.string().min(1), size_bytes: z.number().int().min(0) }).strict());
const passed = VerdictSchema.exclude(["FAIL"]);
const definition = z.object({ name: z.string().min(1), version: z.string().min(1) }).strict();

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
      enforcement: EnforcementSchema,
      /** How the one work mode was chosen: flag, title classification, or the pipeline's. */
      mode_selection: z
        .object({ classified: z.string().nullable(), override: z.boolean(), source: z.enum(["flag", "title", "pipeline"]), title: z.string().nullable() })
        .strict()
        .optional(),
      params: z.record(z.string(), z.string()),
      pipeline: z.string().min(1),
      pipeline_digest: DigestSchema.optional(),
      run_id: id,
      run_mode: RunModeSchema,
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
      result: VerdictSchema,
      run_id: id,
      status: z.enum(FINISHED_RUN_STATUSES),
    })
    .strict(),
  /** The engine stopped with the run waiting for manual tasks to be completed (`runledger complete`); not finished. */
  "run.suspended": z.object({ run_id: id, tasks: z.array(z.string().min(1)).min(1) }).strict(),
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
  /** A manual attempt waits for a person or an LLM to perform its steps; its timebox runs to `deadline_utc`. */
  "attempt.suspended": z
    .object({
      attempt_id: id,
      by: z.enum(["human", "llm"]),
      deadline_utc: TimestampSchema,
      /** The declared outputs: the evidence files `runledger complete` must be given, by file name. */
      outputs: z.array(z.string().min(1)).min(1),
      steps: z.array(z.string().min(1)).min(1),
    })
    .strict(),
  /** The outcome of a manual attempt as its actor (the event's) recorded it; checks on the evidence follow, then attempt.succeeded or attempt.failed. */
  "attempt.completed": z.object({ attempt_id: id, late: z.boolean(), note: z.string().optional(), result: VerdictSchema }).strict(),
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
      result: VerdictSchema,
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
      enforcement: EnforcementSchema,
      error_code: errorCode.optional(),
      /** recorded: went to the sink (shadow or mock); executed: performed; refused: undeclared or no handler; failed: the handler threw. */
      outcome: z.enum(["recorded", "executed", "refused", "failed"]),
      payload_digest: DigestSchema,
      result_digest: DigestSchema.optional(),
      run_id: id,
      run_mode: RunModeSchema,
      task: z.string().min(1),
    })
    .strict(),
  /** An operator broke its declaration (seed 001 §8.4): the attempt fails, the run halts, the operator is quarantined. */
  "violation.recorded": z
    .object({
      attempt_id: id,
      detail: z.string().min(1),
      kind: z.enum(["undeclared_effect", "undeclared_output", "undeclared_secret"]),
      run_id: id,
      task: z.string().min(1),
    })
    .strict(),
  /** A gate decided on its checks: passed (and advanced its watermark), failed, or awaits a person's approval. */
  "gate.evaluated": z
    .object({
      advances: z
        .object({ definition: definition.optional(), value: z.string().min(1), watermark: z.string().min(1) })
        .strict()
        .optional(),
      approval: z.boolean(),
      checks: z.array(z.object({ name: z.string().min(1), result: VerdictSchema }).strict()),
      gate: z.string().min(1),
      result: VerdictSchema,
      run_id: id,
      status: z.enum(["passed", "failed", "awaiting_approval"]),
      task: z.string().min(1),
    })
    .strict(),
  /** A watermark moved forward because its gate passed (and, where needed, was approved). */
  "watermark.advanced": z
    .object({ definition: definition.optional(), gate: z.string().min(1), run_id: id, value: z.string().min(1), watermark: z.string().min(1) })
    .strict(),
  /** The definition a watermark is bound to changed: its value no longer holds for forward use. */
  "watermark.invalidated": z.object({ by_version: z.string().min(1), reason: z.string().min(1), watermark: z.string().min(1) }).strict(),
  /** A run stopped starting tasks because its pipeline or project was paused; `resume` continues it. */
  "run.paused": z.object({ reason: z.string().min(1), run_id: id }).strict(),
  /** A monitor's suggestion (seed 001 §5): its only output. Recorded once per distinct suggestion. */
  "monitor.suggested": z
    .object({ key: DigestSchema, level: z.enum(["INFO", "WARN"]), message: z.string().min(1), monitor: z.string().min(1), subject: z.string().min(1) })
    .strict(),
  /** A DebugPacket opened on a failed run: its symptom, context (what changed) and minimal repro. */
  "debug.opened": z
    .object({
      context: z.union([z.string(), z.record(z.string(), json)]),
      debug_packet_id: id,
      minimal_repro: z
        .object({
          actual: z.string(),
          commands: z.array(z.string().min(1)),
          expected: z.string(),
          inputs: z.union([z.array(z.string()), z.record(z.string(), json)]),
        })
        .strict(),
      run_id: id,
      symptom: z.string().min(1),
      work_mode: z.string().min(1),
    })
    .strict(),
  "debug.hypothesized": z.object({ debug_packet_id: id, hypothesis: z.string().min(1) }).strict(),
  /** An experiment on a DebugPacket: the change, its result, and the stored evidence files. */
  "debug.experimented": z
    .object({
      change: z.string().min(1),
      debug_packet_id: id,
      evidence: z.array(z.object({ digest: DigestSchema, name: z.string().min(1), size_bytes: z.number().int().min(0) }).strict()).min(1),
      result: z.string().min(1),
    })
    .strict(),
  "debug.closed": z
    .object({
      debug_packet_id: id,
      decision: z.string().min(1),
      next: z.string().min(1),
      regression_guard: z.string(),
      time_spent_minutes: z.number().min(0),
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

/**
 * Event types whose parsed payload JSON.stringify always writes as canonical JSON: objects with
 * sorted, declared keys only, down to strings, finite numbers, booleans and enums; no free-form
 * JSON, records or unions. The ledger skips canonicalJson's key-order walk for them.
 */
export const STRINGIFY_IS_CANONICAL: ReadonlySet<EventType> = new Set(EVENT_TYPES.filter((type) => sortedByConstruction(EVENT_CATALOGUE[type])));

function sortedByConstruction(schema: z.ZodType): boolean {
  const def = schema.def as { type: string; innerType?: z.ZodType; element?: z.ZodType; shape?: Record<string, z.ZodType>; catchall?: z.ZodType };
  switch (def.type) {
    case "string":
    case "number":
    case "boolean":
    case "enum":
    case "literal":
      return true;
    case "optional":
    case "nullable":
      return sortedByConstruction(def.innerType as z.ZodType);
    case "array":
      return sortedByConstruction(def.element as z.ZodType);
    case "object": {
      const keys = Object.keys(def.shape ?? {});
      const closed = def.catchall === undefined || def.catchall.def.type === "never";
      // Integer-like keys would be enumerated first whatever their declared place.
      const ordered = keys.every((key, i) => !/^\d+$/.test(key) && (i === 0 || (keys[i - 1] as string) < key));
      return closed && ordered && Object.values(def.shape ?? {}).every(sortedByConstruction);
    }
    default:
      return false;
  }
}
