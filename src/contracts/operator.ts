import { z } from "zod";
import { OperatorIdSchema, OperatorRefSchema, OperatorVersionSchema, OutputPathSchema } from "./common.js";

/** How an operator runs: in-process TS, a subprocess, a person or LLM recording the result, or a long-running service. */
export const OPERATOR_KINDS = ["function", "command", "manual", "service"] as const;

/** The registry lifecycle, in order: REGISTERED → ACTIVE → DEPRECATED → REMOVED. */
export const OPERATOR_LIFECYCLES = ["REGISTERED", "ACTIVE", "DEPRECATED", "REMOVED"] as const;

/** One acceptance check an operator's outputs must pass; `spec` is the check kind's own configuration. */
export const AcceptanceCheckSpecSchema = z
  .object({
    name: z.string().min(1),
    kind: z.string().min(1),
    spec: z.unknown().optional(),
  })
  .strict();
export type AcceptanceCheckSpec = z.infer<typeof AcceptanceCheckSpecSchema>;

/**
 * The serializable description of a registered operator version (seed 000 Operator). Invariants:
 * `ref` is `id@version`; legal in at least one work mode; at least one acceptance check; a
 * positive timebox; declared outputs unique and under `outputs/`.
 */
export const OperatorSchema = z
  .object({
    id: OperatorIdSchema,
    version: OperatorVersionSchema,
    ref: OperatorRefSchema,
    name: z.string().min(1),
    kind: z.enum(OPERATOR_KINDS),
    mode_ids: z.array(z.string().min(1)).min(1),
    inputs: z.record(z.string(), z.unknown()),
    outputs: z.array(OutputPathSchema),
    effects: z.array(z.string().min(1)),
    secrets: z.array(z.string().min(1)),
    acceptance_checks: z.array(AcceptanceCheckSpecSchema).min(1),
    timebox_ms: z.number().int().positive(),
    retries: z.number().int().min(0),
    failure_paths: z.array(z.string()),
    evidence_pattern: z.array(z.string()),
    steps: z.array(z.string()),
    lifecycle: z.enum(OPERATOR_LIFECYCLES),
  })
  .strict()
  .superRefine((operator, ctx) => {
    if (operator.ref !== `${operator.id}@${operator.version}`) {
      ctx.addIssue({ code: "custom", message: `ref must be ${operator.id}@${operator.version}`, path: ["ref"] });
    }
    operator.outputs.forEach((path, i) => {
      if (operator.outputs.indexOf(path) !== i) {
        ctx.addIssue({ code: "custom", message: `duplicate output ${path}`, path: ["outputs", i] });
      }
    });
  });
export type Operator = z.infer<typeof OperatorSchema>;
