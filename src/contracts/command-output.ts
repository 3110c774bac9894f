import { z } from "zod";
import { ErrorCodeSchema } from "./error-code.js";

/** The keys every `--json` success starts with; the command's own results sit beside them. */
const SUCCESS_KEYS = {
  status: z.literal("success"),
  execution_id: z.string().min(1),
};

/**
 * What a `--json` command prints on stdout when it succeeds: `status`, `execution_id` and exactly
 * the result keys given, nothing else.
 */
export function commandOutput<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.object({ ...SUCCESS_KEYS, ...shape }).strict();
}

export const LOG_LEVELS = ["info", "warn", "error"] as const;

/**
 * One line `--json` writes to stderr: a level, an event name (`run.start`, `command.fail`) and the
 * command's execution id; a warning adds its message, a failure its code, and each event its own fields.
 */
export const LogLineSchema = z
  .object({
    level: z.enum(LOG_LEVELS),
    event: z.string().min(1),
    execution_id: z.string().min(1),
    message: z.string().optional(),
    code: ErrorCodeSchema.optional(),
  })
  .loose();
export type LogLine = z.infer<typeof LogLineSchema>;
