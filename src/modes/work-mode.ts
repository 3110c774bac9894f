import { z } from "zod";

/** One item of a mode's evidence pattern: met when a passed task's operator declares it (or the engine observes it). */
export const EvidenceItemSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/, "expected a lowercase id such as content-check"),
    description: z.string().min(1),
    /** A required item missing makes the run not counted; an optional one is only reported. */
    required: z.boolean().default(true),
  })
  .strict();
export type EvidenceItem = z.infer<typeof EvidenceItemSchema>;

/** A mode-specific stop rule: it fires when a run of the mode ends without one of its evidence items. */
export const StopRuleSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9.-]*$/, "expected a lowercase id such as pipeline.unverified"),
    /** The evidence item whose absence fires the rule. */
    whenMissing: z.string().min(1),
    /** What to do when it fires (seed 000's wording). */
    detail: z.string().min(1),
  })
  .strict();
export type StopRule = z.infer<typeof StopRuleSchema>;

/** A work mode (seed 000): a craft with an intent, typical outputs, a primary risk, its classifier keywords, evidence and stop rules. */
export const WorkModeSchema = z
  .object({
    name: z.string().regex(/^[A-Z][A-Z0-9_/]*$/, "expected an upper-case name such as PIPELINE"),
    intent: z.string().min(1),
    typicalOutputs: z.string().min(1),
    primaryRisk: z.string().min(1),
    /** Title keywords that classify a run into this mode (lower case; a phrase matches as whole words). */
    keywords: z.array(z.string().min(1)).default([]),
    evidence: z.array(EvidenceItemSchema).min(1),
    stopRules: z.array(StopRuleSchema).default([]),
  })
  .strict()
  .superRefine((mode, ctx) => {
    const ids = new Set(mode.evidence.map((item) => item.id));
    mode.stopRules.forEach((rule, i) => {
      if (!ids.has(rule.whenMissing)) ctx.addIssue({ code: "custom", path: ["stopRules", i, "whenMissing"], message: `${rule.whenMissing} is not an evidence item of ${mode.name}` });
    });
  });
export type WorkMode = z.infer<typeof WorkModeSchema>;
