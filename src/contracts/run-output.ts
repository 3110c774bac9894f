import type { z } from "zod";
import { commandOutput } from "./command-output.js";
import { RunSchema, RunSummarySchema } from "./run.js";

/**
 * What every command that leaves one run behind prints with `--json`: `run`, `show`, `resume`,
 * `complete`, `next`, `gate approve|reject` and `admin replay` (the new run).
 */
export const RunOutputSchema = commandOutput({ run: RunSchema });
export type RunOutput = z.infer<typeof RunOutputSchema>;

/** `runs --json`: the runs, oldest first. */
export const RunsOutputSchema = commandOutput({ runs: RunSummarySchema.array() });
export type RunsOutput = z.infer<typeof RunsOutputSchema>;
