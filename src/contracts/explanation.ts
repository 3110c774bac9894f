import { z } from "zod";
import { DigestSchema } from "./common.js";
import { commandOutput } from "./command-output.js";
import { EnforcementSchema } from "./run-mode.js";

/** One stable receipt field (or one input, `inputs.<task>/<path>`) that differs from the earlier passed attempt. */
export const ReceiptChangeSchema = z
  .object({
    field: z.string().min(1),
    before: z.unknown(),
    after: z.unknown(),
  })
  .strict();
export type ReceiptChange = z.infer<typeof ReceiptChangeSchema>;

/** One effect call of the explained attempt: its decision trace under shadow | enforced. */
export const ExplainedEffectCallSchema = z
  .object({
    call_number: z.number().int().positive(),
    effect: z.string().min(1),
    enforcement: EnforcementSchema,
    outcome: z.enum(["recorded", "executed", "refused", "failed"]),
    payload_digest: DigestSchema,
    result_digest: DigestSchema.nullable(),
    error_code: z.string().nullable(),
  })
  .strict();

const explained = {
  task: z.string().min(1),
  attempt: z.string().min(1),
  effects: z.array(ExplainedEffectCallSchema),
};

/**
 * Why a task of a run ran or was reused: reused from an earlier attempt with the same cache key;
 * ran with no earlier passed attempt to reuse (`previous_attempt: null`); or ran, with the stable
 * receipt fields that changed since the earlier passed attempt of another run.
 */
export const ExplanationSchema = z.union([
  z
    .object({ ...explained, decision: z.literal("reused"), source_attempt: z.string().min(1).nullable(), source_run: z.string().min(1).nullable(), changes: z.array(ReceiptChangeSchema).max(0) })
    .strict(),
  z.object({ ...explained, decision: z.literal("ran"), previous_attempt: z.null(), changes: z.array(ReceiptChangeSchema).max(0) }).strict(),
  z
    .object({ ...explained, decision: z.literal("ran"), previous_attempt: z.string().min(1), previous_run: z.string().min(1), changes: z.array(ReceiptChangeSchema) })
    .strict(),
]);
export type Explanation = z.infer<typeof ExplanationSchema>;

/** `explain --json`. */
export const ExplainOutputSchema = commandOutput({ explain: ExplanationSchema });
export type ExplainOutput = z.infer<typeof ExplainOutputSchema>;
