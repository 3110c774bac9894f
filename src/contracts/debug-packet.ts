import { z } from "zod";
import { ProjectSchema } from "./common.js";

/** Hypotheses a DebugPacket may hold at once (seed 000: "3 max"). */
export const MAX_HYPOTHESES = 3;

export const DEBUG_PACKET_STATUSES = ["open", "closed"] as const;

/** The smallest way to see the failure: commands, inputs, and expected vs actual. */
export const MinimalReproSchema = z
  .object({
    commands: z.array(z.string().min(1)),
    inputs: z.union([z.array(z.string()), z.record(z.string(), z.unknown())]),
    expected: z.string(),
    actual: z.string(),
  })
  .strict();
export type MinimalRepro = z.infer<typeof MinimalReproSchema>;

/** One experiment: the change made, what happened, and the evidence (at least one item). */
export const ExperimentSchema = z
  .object({
    change: z.string().min(1),
    result: z.string().min(1),
    evidence: z.array(z.string().min(1)).min(1),
  })
  .strict();
export type Experiment = z.infer<typeof ExperimentSchema>;

/**
 * The closure record of a failure (seed 000 DebugPacket): symptom, context, a mandatory minimal
 * repro, at most three hypotheses, evidenced experiments, decision, next step and regression
 * guard. A closed packet must state its decision and its resolution or next pointer.
 */
export const DebugPacketSchema = z
  .object({
    debug_packet_id: z.string().min(1),
    project_id: ProjectSchema,
    run_id: z.string().min(1).optional(),
    symptom: z.string().min(1),
    context: z.union([z.string(), z.record(z.string(), z.unknown())]),
    minimal_repro: MinimalReproSchema,
    hypotheses: z.array(z.string().min(1)).max(MAX_HYPOTHESES),
    experiments: z.array(ExperimentSchema),
    decision: z.string(),
    resolution_or_next: z.string(),
    regression_guard: z.string(),
    time_spent_minutes: z.number().min(0),
    status: z.enum(DEBUG_PACKET_STATUSES),
  })
  .strict()
  .superRefine((packet, ctx) => {
    if (packet.status !== "closed") return;
    for (const key of ["decision", "resolution_or_next"] as const) {
      if (packet[key].trim() === "") ctx.addIssue({ code: "custom", message: `a closed packet needs a ${key}`, path: [key] });
    }
  });
export type DebugPacket = z.infer<typeof DebugPacketSchema>;
