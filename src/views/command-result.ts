import type { z } from "zod";
import type { CommandPath, commandOutputSchema } from "../contracts/command-outputs.js";

/**
 * What a command prints under `--json` besides `status` and `execution_id` (which the output adds):
 * the result keys of its published contract, so a view and its contract cannot drift apart.
 */
export type CommandResult<P extends CommandPath> = Omit<z.infer<ReturnType<typeof commandOutputSchema<P>>>, "status" | "execution_id">;
