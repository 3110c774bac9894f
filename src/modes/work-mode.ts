import { z } from "zod";
import { WorkModeContractSchema } from "../contracts/work-mode.js";

// A mode as a workspace declares it: the published contract (what `modes --json` lists), with
// defaults for what a declaration may leave out and stricter ids.
const { shape } = WorkModeContractSchema;

/** One item of a mode's evidence pattern: met when a passed task's operator declares it (or the engine observes it). */
export const EvidenceItemSchema = shape.evidence.element
  .extend({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/, "expected a lowercase id such as content-check"),
    /** A required item missing makes the run not counted; an optional one is only reported. */
    required: z.boolean().default(true),
  })
  .strict();
export type EvidenceItem = z.infer<typeof EvidenceItemSchema>;

/** A mode-specific stop rule: it fires when a run of the mode ends without one of its evidence items (`whenMissing`); `detail` says what to do (seed 000's wording). */
export const StopRuleSchema = shape.stopRules.element
  .extend({
    id: z.string().regex(/^[a-z][a-z0-9.-]*$/, "expected a lowercase id such as pipeline.unverified"),
  })
  .strict();
export type StopRule = z.infer<typeof StopRuleSchema>;

/** A work mode (seed 000): a craft with an intent, typical outputs, a primary risk, its classifier keywords, evidence and stop rules. */
export const WorkModeSchema = WorkModeContractSchema.extend({
  /** Title keywords that classify a run into this mode (lower case; a phrase matches as whole words). */
  keywords: shape.keywords.default([]),
  evidence: z.array(EvidenceItemSchema).min(1),
  stopRules: z.array(StopRuleSchema).default([]),
})
  .strict()
  .superRefine((mode, ctx) => {
    const ids = new Set(mode.evidence.map((item) => item.id));
    mode.stopRules.forEach((rule, i) => {
      if (!ids.has(rule.whenMissing))
        ctx.addIssue({ code: "custom", path: ["stopRules", i, "whenMissing"], message: `${rule.whenMissing} is not an evidence item of ${mode.name}` });
    });
  });
export type WorkMode = z.infer<typeof WorkModeSchema>;
