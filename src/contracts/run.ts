import { z } from "zod";
import { ActorSchema, DigestSchema, ProjectSchema, TimestampSchema } from "./common.js";
import { JobStatusSchema } from "./job-status.js";
import { EnforcementSchema, RunModeSchema } from "./run-mode.js";
import { GateDecisionSchema } from "./gate-decision.js";
import { CheckVerdictSchema, VerdictSchema } from "./verdict.js";

/**
 * Run statuses: `requested` until its engine starts it, `running` until it ends, `waiting` while its
 * engine stopped for a manual task to be completed, `paused` while an admin pause holds it; then
 * succeeded, degraded (a critical task failed), failed, or halted (a violation or an engine error).
 */
export const RUN_STATUSES = ["requested", "running", "waiting", "paused", "succeeded", "degraded", "failed", "halted"] as const;

/** The statuses a run ends with (`run.finished`). */
export const FINISHED_RUN_STATUSES = ["succeeded", "degraded", "failed", "halted"] as const;

/** Task outcomes within a run; WAITING: a manual task waits for `runledger complete`. */
export const TASK_OUTCOMES = ["SUCCESS", "SKIPPED", "FAILED", "PENDING", "RUNNING", "WAITING"] as const;

/** One effect call of an attempt, as its run shows it: the decision trace. */
const EffectCallSummarySchema = z
  .object({
    call_number: z.number().int().positive(),
    effect: z.string().min(1),
    enforcement: EnforcementSchema,
    run_mode: RunModeSchema,
    outcome: z.enum(["recorded", "executed", "refused", "failed"]),
    payload_digest: DigestSchema,
    result_digest: DigestSchema.nullable(),
    error_code: z.string().nullable(),
  })
  .strict();

/** One attempt of a task, as its run shows it; a completed manual attempt adds who completed it and how. */
const RunAttemptSchema = z
  .object({
    id: z.string().min(1),
    status: JobStatusSchema,
    receipt_digest: DigestSchema.nullable(),
    error_code: z.string().nullable().optional(),
    source_attempt_id: z.string().nullable().optional(),
    completed_by: ActorSchema.optional(),
    completed_result: VerdictSchema.optional(),
    note: z.string().nullable().optional(),
    late: z.boolean().optional(),
    effects: z.array(EffectCallSummarySchema).optional(),
  })
  .strict();

/** What a WAITING manual task asks for: its steps, who performs them, the evidence files, its timebox, and the command that records it. */
const WaitingSchema = z
  .object({
    attempt_id: z.string().min(1),
    by: z.enum(["human", "llm"]),
    steps: z.array(z.string()),
    evidence: z.array(z.string()),
    deadline_utc: TimestampSchema,
    inputs_dir: z.string().optional(),
    complete: z.string().min(1),
  })
  .strict();

/** One task's state within a run: its outcome and why, its check verdicts, and its attempts in order. */
export const RunTaskSchema = z
  .object({
    name: z.string().min(1),
    outcome: z.enum(TASK_OUTCOMES),
    reason: z.string().nullable(),
    checks: z.array(CheckVerdictSchema),
    attempts: z.array(RunAttemptSchema),
    /** Set while the task is a manual one waiting for its outcome; null otherwise. */
    waiting: WaitingSchema.nullable().optional(),
  })
  .strict();
export type RunTask = z.infer<typeof RunTaskSchema>;

/** A run as `runledger runs --json` lists it. */
export const RunSummarySchema = z
  .object({
    id: z.string().min(1),
    pipeline: z.string().min(1),
    project: ProjectSchema,
    status: z.enum(RUN_STATUSES),
    result: VerdictSchema.nullable(),
    as_of: TimestampSchema,
    requested_at_utc: TimestampSchema,
    work_mode: z.string().min(1),
    next: z.string().nullable(),
    counted: z.boolean(),
  })
  .strict();
export type RunSummary = z.infer<typeof RunSummarySchema>;

/**
 * One execution of a pipeline for one project, in one work mode and one run mode, anchored at
 * `as_of` (a projection of the ledger), as `runledger run --json` and `show --json` print it under
 * `run`. `result`, `finished_at_utc` and `next` are null while the run is running; a run without
 * evidence and a next pointer has `counted: false`.
 */
export const RunSchema = RunSummarySchema.extend({
  run_mode: RunModeSchema,
  enforcement: EnforcementSchema,
  finished_at_utc: TimestampSchema.nullable(),
  /** How the one work mode was chosen: a flag, the title's classification, or the pipeline's; null for runs recorded before. */
  mode_selection: z
    .object({ classified: z.string().nullable(), override: z.boolean(), source: z.enum(["flag", "title", "pipeline"]), title: z.string().nullable() })
    .strict()
    .nullable()
    .optional(),
  params: z.record(z.string(), z.string()).optional(),
  /** The run's evidence against its work mode's pattern (seed 000), assessed when it ended. */
  evidence: z
    .array(z.object({ item: z.string().min(1), description: z.string(), required: z.boolean(), met: z.boolean(), by: z.array(z.string()) }).strict())
    .optional(),
  manifest_digest: DigestSchema.nullable().optional(),
  stop_rules: z.array(z.object({ rule: z.string().min(1), subject: z.string().nullable(), detail: z.string() }).strict()).optional(),
  /** The run's gates: each gate's decision without what the run already says (run id, task, times). */
  gates: z.array(GateDecisionSchema.pick({ gate: true, status: true, result: true, checks: true, advances: true, decided_by: true, reason: true })).optional(),
  violations: z
    .array(z.object({ kind: z.enum(["undeclared_effect", "undeclared_output", "undeclared_secret"]), task: z.string().min(1), attempt_id: z.string().min(1), detail: z.string() }).strict())
    .optional(),
  tasks: z.array(RunTaskSchema),
}).strict();
export type Run = z.infer<typeof RunSchema>;
