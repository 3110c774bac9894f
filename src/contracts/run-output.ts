import { z } from "zod";
import { commandOutput } from "./command-output.js";
import { RunSchema, RunSummarySchema } from "./run.js";

/**
 * What every command that leaves one run behind prints with `--json`: `run`, `show`, `resume`,
 * `complete`, `next`, `gate approve|reject` and `admin replay` (the new run).
 */
export const RunOutputSchema = commandOutput({ run: RunSchema });
export type RunOutput = z.infer<typeof RunOutputSchema>;

/** `runs --json`: a page of runs (the newest 50 that match unless `--limit` says), oldest first. */
export const RunsOutputSchema = commandOutput({
  runs: RunSummarySchema.array(),
  /** The run to pass as `--before` for the next, older page; null when no older run matches. */
  next_before: z.string().min(1).nullable(),
});
export type RunsOutput = z.infer<typeof RunsOutputSchema>;
