import { z } from "zod";
import { ActorSchema, TimestampSchema } from "./common.js";
import { commandOutput } from "./command-output.js";
import { CheckVerdictSchema, VerdictSchema } from "./verdict.js";
import { DefinitionVersionSchema } from "./watermark.js";

/** Where a gate stands: its checks passed or failed, it awaits a person, or a person approved or rejected it. */
export const GATE_STATUSES = ["passed", "failed", "awaiting_approval", "approved", "rejected"] as const;

/** The watermark a gate advances when it passes or is approved, to which value, under which definition. */
export const GateAdvanceSchema = z
  .object({
    watermark: z.string().min(1),
    value: z.string(),
    definition: DefinitionVersionSchema.optional(),
  })
  .strict();

/**
 * One gate of one run as `gate status --json` lists it: the task that is the gate, its checks and
 * verdict, whether it asks for approval, the watermark it advances, and who decided, when and why.
 */
export const GateDecisionSchema = z
  .object({
    gate: z.string().min(1),
    run_id: z.string().min(1),
    task: z.string().min(1),
    status: z.enum(GATE_STATUSES),
    result: VerdictSchema,
    approval: z.boolean(),
    checks: z.array(CheckVerdictSchema),
    advances: GateAdvanceSchema.nullable(),
    evaluated_at_utc: TimestampSchema,
    decided_by: ActorSchema.nullable(),
    decided_at_utc: TimestampSchema.nullable(),
    reason: z.string().nullable(),
  })
  .strict();
export type GateDecision = z.infer<typeof GateDecisionSchema>;

/** `gate status --json`: the gate decisions, newest first. */
export const GatesOutputSchema = commandOutput({ gates: z.array(GateDecisionSchema) });
export type GatesOutput = z.infer<typeof GatesOutputSchema>;
