import { z } from "zod";
import { DigestSchema, ProjectSchema, TimestampSchema } from "./common.js";
import { JobStatusSchema } from "./job-status.js";
import { EnforcementSchema, RunModeSchema } from "./run-mode.js";
import { VerdictSchema } from "./verdict.js";

/**
 * Run statuses: `running` until it ends, `waiting` while its engine stopped for a manual task to be
 * completed; then succeeded, degraded (a critical task failed), failed, or halted (engine error).
 */
export const RUN_STATUSES = ["running", "waiting", "succeeded", "degraded", "failed", "halted"] as const;

/** Task outcomes within a run; WAITING: a manual task waits for `runledger complete`. */
export const TASK_OUTCOMES = ["SUCCESS", "SKIPPED", "FAILED", "PENDING", "RUNNING", "WAITING"] as const;

/** One task's state within a run: its outcome and why, its check verdicts, and its attempts in order. */
export const RunTaskSchema = z
  .object({
    name: z.string().min(1),
    outcome: z.enum(TASK_OUTCOMES),
    reason: z.string().nullable(),
    checks: z.array(z.object({ name: z.string().min(1), result: VerdictSchema }).strict()),
    attempts: z.array(
      z.object({ id: z.string().min(1), status: JobStatusSchema, receipt_digest: DigestSchema.nullable() }).strict(),
    ),
  })
  .strict();
export type RunTask = z.infer<typeof RunTaskSchema>;

/**
 * One execution of a pipeline for one project, in one work mode and one run mode, anchored at
 * `as_of` (a projection of the ledger). `result`, `finished_at_utc` and `next` are null while the
 * run is running; a run without evidence and a next pointer has `counted: false`.
 */
export const RunSchema = z
  .object({
    id: z.string().min(1),
    pipeline: z.string().min(1),
    project: ProjectSchema,
    status: z.enum(RUN_STATUSES),
    result: VerdictSchema.nullable(),
    as_of: TimestampSchema,
    work_mode: z.string().min(1),
    run_mode: RunModeSchema,
    enforcement: EnforcementSchema,
    requested_at_utc: TimestampSchema,
    finished_at_utc: TimestampSchema.nullable(),
    next: z.string().nullable(),
    counted: z.boolean(),
    /** The run's evidence against its work mode's pattern (seed 000), assessed when it ended. */
    evidence: z
      .array(z.object({ item: z.string().min(1), description: z.string(), required: z.boolean(), met: z.boolean(), by: z.array(z.string()) }).strict())
      .optional(),
    tasks: z.array(RunTaskSchema),
  })
  .strict();
export type Run = z.infer<typeof RunSchema>;
