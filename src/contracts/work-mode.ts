import { z } from "zod";
import { commandOutput } from "./command-output.js";

/**
 * A work mode as `modes --json` lists it (seed 000): its intent, typical outputs, primary risk,
 * the title keywords that classify a run into it, its evidence pattern and its stop rules, with
 * every default filled in.
 */
export const WorkModeContractSchema = z
  .object({
    name: z.string().regex(/^[A-Z][A-Z0-9_/]*$/, "expected an upper-case name such as PIPELINE"),
    intent: z.string().min(1),
    typicalOutputs: z.string().min(1),
    primaryRisk: z.string().min(1),
    keywords: z.array(z.string().min(1)),
    evidence: z.array(z.object({ id: z.string().min(1), description: z.string().min(1), required: z.boolean() }).strict()).min(1),
    stopRules: z.array(z.object({ id: z.string().min(1), whenMissing: z.string().min(1), detail: z.string().min(1) }).strict()),
  })
  .strict();

/** Which work mode a title selects: the mode, the keywords each mode matched, and whether table order broke a tie. */
export const ClassificationSchema = z
  .object({
    title: z.string(),
    mode: z.string().min(1),
    matches: z.record(z.string(), z.array(z.string().min(1))),
    tie: z.boolean(),
  })
  .strict();

/** `modes --json`: the workspace's modes (seed 000's outside a workspace), in table order. */
export const ModesOutputSchema = commandOutput({ modes: z.array(WorkModeContractSchema) });
export type ModesOutput = z.infer<typeof ModesOutputSchema>;

/** `classify --json`. */
export const ClassifyOutputSchema = commandOutput({ classification: ClassificationSchema });
export type ClassifyOutput = z.infer<typeof ClassifyOutputSchema>;
