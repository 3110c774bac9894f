import { z } from "zod";
import { TimestampSchema } from "./common.js";
import { commandOutput } from "./command-output.js";

/**
 * An operator's governed status: the registry lifecycle, QUARANTINED after a violation until
 * reviewed, or UNGOVERNED while no admin ever moved it.
 */
export const OPERATOR_STATUSES = ["REGISTERED", "ACTIVE", "DEPRECATED", "REMOVED", "QUARANTINED", "UNGOVERNED"] as const;
export const OperatorStatusSchema = z.enum(OPERATOR_STATUSES);
export type OperatorStatusName = z.infer<typeof OperatorStatusSchema>;

/** One step of an operator's lifecycle: the status it moved to, when, by whom (`kind:id`) and why. */
const LifecycleStepSchema = z
  .object({
    status: OperatorStatusSchema.exclude(["UNGOVERNED"]),
    at_utc: TimestampSchema,
    by: z.string().min(1),
    reason: z.string(),
  })
  .strict();

/** One violation an operator committed in a run (an undeclared effect, output or secret). */
const OperatorViolationSchema = z
  .object({
    kind: z.string().min(1),
    run_id: z.string().min(1),
    task: z.string().min(1),
    detail: z.string(),
    at_utc: TimestampSchema,
  })
  .strict();

/**
 * An operator as the ledger knows it (`operator list|show`), by its ref (`id@version`; a YAML
 * task's is `<pipeline>.<task>@0`): status, how often it ran and last when, violations, lifecycle history.
 */
export const OperatorViewSchema = z
  .object({
    ref: z.string().min(1),
    status: OperatorStatusSchema,
    attempts: z.number().int().min(0),
    last_used_utc: TimestampSchema.nullable(),
    violations: z.array(OperatorViolationSchema),
    history: z.array(LifecycleStepSchema),
  })
  .strict();
export type OperatorView = z.infer<typeof OperatorViewSchema>;

/** The status an operator moved to by `operator register|activate|deprecate|remove`. */
export const OperatorTransitionSchema = z
  .object({
    ref: z.string().min(1),
    status: OperatorStatusSchema.exclude(["UNGOVERNED", "QUARANTINED"]),
  })
  .strict();
export type OperatorTransition = z.infer<typeof OperatorTransitionSchema>;

/** `operator list --json`: every operator the ledger knows, by ref. */
export const OperatorListOutputSchema = commandOutput({ operators: z.array(OperatorViewSchema) });
export type OperatorListOutput = z.infer<typeof OperatorListOutputSchema>;

/** `operator show --json`. */
export const OperatorShowOutputSchema = commandOutput({ operator: OperatorViewSchema });
export type OperatorShowOutput = z.infer<typeof OperatorShowOutputSchema>;

/** `operator register|activate|deprecate|remove --json`. */
export const OperatorTransitionOutputSchema = commandOutput({ operator: OperatorTransitionSchema });
export type OperatorTransitionOutput = z.infer<typeof OperatorTransitionOutputSchema>;
