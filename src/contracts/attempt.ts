import { z } from "zod";
import { DigestSchema, ProjectSchema, TimestampSchema } from "./common.js";
import { ErrorCodeSchema } from "./error-code.js";
import { JobStatusSchema } from "./job-status.js";

/** The ids an attempt is correlated with: always its run; optionally its task, project and any other string id. */
export const CorrelationIdsSchema = z
  .object({
    run_id: z.string().min(1),
    task: z.string().min(1).optional(),
    project: ProjectSchema.optional(),
  })
  .catchall(z.string());
export type CorrelationIds = z.infer<typeof CorrelationIdsSchema>;

/**
 * One try of one task (seed 004 JobAttemptRecord). Retries make new attempts with a higher
 * `attempt_number`; attempt history is append-only, so a record is only ever superseded, never edited.
 */
export const AttemptSchema = z
  .object({
    job_id: z.string().min(1),
    attempt_id: z.string().min(1),
    attempt_number: z.number().int().min(1),
    status: JobStatusSchema,
    created_at_utc: TimestampSchema,
    updated_at_utc: TimestampSchema,
    correlation_ids: CorrelationIdsSchema,
    error_code: ErrorCodeSchema.nullable().optional(),
    retryable: z.boolean(),
    receipt_digest: DigestSchema.optional(),
  })
  .strict();
export type Attempt = z.infer<typeof AttemptSchema>;

/** Seed 004's name for {@link AttemptSchema}. */
export const JobAttemptRecordSchema = AttemptSchema;
export type JobAttemptRecord = Attempt;
