import { z } from "zod";
import { DigestSchema } from "./common.js";
import { commandOutput } from "./command-output.js";

/** A monitor's only output (seed 001 §5): a `[SUGGESTION]` about a subject, with the key that records it once. */
export const SuggestionSchema = z
  .object({
    level: z.enum(["INFO", "WARN"]),
    subject: z.string(),
    message: z.string(),
    monitor: z.string().min(1),
    key: DigestSchema,
  })
  .strict();
export type Suggestion = z.infer<typeof SuggestionSchema>;

/** `monitor run --json`: every suggestion of this run of the monitors, and how many were new (recorded now). */
export const MonitorOutputSchema = commandOutput({ suggestions: z.array(SuggestionSchema), recorded: z.number().int().min(0) });
export type MonitorOutput = z.infer<typeof MonitorOutputSchema>;
