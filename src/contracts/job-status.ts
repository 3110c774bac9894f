import { z } from "zod";

/** The statuses of one attempt; every one except `queued`, `running` and `waiting` (a manual attempt awaiting its result) is terminal. */
export const JOB_STATUSES = [
  "queued",
  "running",
  "waiting",
  "succeeded",
  "failed",
  "abandoned",
  "reused",
  "skipped",
  "timed_out",
] as const;

/** The status of an attempt (seed 004 JobStatus). */
export const JobStatusSchema = z.enum(JOB_STATUSES);
export type JobStatus = z.infer<typeof JobStatusSchema>;
