import { z } from "zod";
import { commandOutput } from "./command-output.js";

/**
 * `effect --json`, inside a command operator: the effect called and the result its handler (or, in
 * shadow, the sink) returned, as JSON of the handler's own shape.
 */
export const EffectOutputSchema = commandOutput({ effect: z.string().min(1), result: z.unknown() });
export type EffectOutput = z.infer<typeof EffectOutputSchema>;
