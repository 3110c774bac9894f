import { z } from "zod";
import { ActorSchema, DigestSchema, ProjectSchema, TimestampSchema } from "./common.js";
import { commandOutput } from "./command-output.js";
import { DEBUG_PACKET_STATUSES, DebugPacketSchema } from "./debug-packet.js";

/** An evidence file of a packet's experiment (numbered from 1), stored as an artifact. */
export const DebugEvidenceFileSchema = z
  .object({
    experiment: z.number().int().min(1),
    digest: DigestSchema,
    name: z.string().min(1),
    size_bytes: z.number().int().min(0),
  })
  .strict();
export type DebugEvidenceFile = z.infer<typeof DebugEvidenceFileSchema>;

/** A DebugPacket as `debug list --json` lists it: counts instead of the hypotheses and experiments. */
export const DebugPacketSummarySchema = z
  .object({
    debug_packet_id: z.string().min(1),
    run_id: z.string().min(1),
    project: ProjectSchema,
    work_mode: z.string().min(1),
    status: z.enum(DEBUG_PACKET_STATUSES),
    symptom: z.string().min(1),
    hypotheses: z.number().int().min(0),
    experiments: z.number().int().min(0),
    opened_at_utc: TimestampSchema,
    closed_at_utc: TimestampSchema.nullable(),
  })
  .strict();
export type DebugPacketSummary = z.infer<typeof DebugPacketSummarySchema>;

/** A failed CONTRACT run without a DebugPacket, or whose last packet lacks its minimal repro. */
export const MissingDebugPacketSchema = z
  .object({
    run_id: z.string().min(1),
    project: ProjectSchema,
    pipeline: z.string().min(1),
    finished_at_utc: TimestampSchema.nullable(),
    debug_packet_id: z.string().min(1).nullable(),
    reason: z.string().min(1),
  })
  .strict();

/**
 * `debug new|hypothesis|experiment|close|show --json`: the packet in its contract shape, and what
 * the ledger adds (its run's work mode, who opened it and when, when it closed, its evidence files),
 * all beside `status` and `execution_id`.
 */
export const DebugPacketOutputSchema = commandOutput({
  debug_packet: DebugPacketSchema,
  work_mode: z.string().min(1),
  opened_at_utc: TimestampSchema,
  opened_by: ActorSchema,
  closed_at_utc: TimestampSchema.nullable(),
  evidence_files: z.array(DebugEvidenceFileSchema),
});
export type DebugPacketOutput = z.infer<typeof DebugPacketOutputSchema>;

/** `debug list --json`: the packets, oldest first. */
export const DebugPacketsOutputSchema = commandOutput({ debug_packets: z.array(DebugPacketSummarySchema) });
export type DebugPacketsOutput = z.infer<typeof DebugPacketsOutputSchema>;

/** `debug missing --json` (exit 1 when the list is not empty). */
export const DebugMissingOutputSchema = commandOutput({ missing: z.array(MissingDebugPacketSchema) });
export type DebugMissingOutput = z.infer<typeof DebugMissingOutputSchema>;
