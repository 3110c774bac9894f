import type { z } from "zod";
import { AdminActionTypeSchema, AdminEventSchema } from "./admin-event.js";
import { ArtifactRefSchema } from "./artifact-ref.js";
import { AttemptSchema } from "./attempt.js";
import {
  ActorSchema,
  DigestSchema,
  OperatorRefSchema,
  OutputPathSchema,
  ProjectSchema,
  TimestampSchema,
} from "./common.js";
import { ConfigVersionRefSchema } from "./config-version-ref.js";
import { DebugPacketSchema } from "./debug-packet.js";
import { EnvFingerprintSchema } from "./env-fingerprint.js";
import { CommandEnvelopeSchema, EnvelopeSchema } from "./envelope.js";
import { ErrorCodeSchema } from "./error-code.js";
import { ErrorResponseSchema } from "./error-response.js";
import { JobStatusSchema } from "./job-status.js";
import { OperatorSchema } from "./operator.js";
import { PipelineSchema, TaskNameSchema } from "./pipeline.js";
import { ReceiptSchema } from "./receipt.js";
import { RunSchema, RunSummarySchema } from "./run.js";
import { EnforcementSchema, RunModeSchema } from "./run-mode.js";
import { VerdictSchema } from "./verdict.js";

/**
 * Every public record and shared building block, by its `$defs` name in
 * `contracts/runledger.schema.json`. Each schema appears once; the JSON Schema refers to these
 * names wherever one schema uses another.
 */
export const CONTRACT_SCHEMAS = Object.freeze({
  Actor: ActorSchema,
  AdminActionType: AdminActionTypeSchema,
  AdminEvent: AdminEventSchema,
  ArtifactRef: ArtifactRefSchema,
  CommandEnvelope: CommandEnvelopeSchema,
  ConfigVersionRef: ConfigVersionRefSchema,
  DebugPacket: DebugPacketSchema,
  Digest: DigestSchema,
  Enforcement: EnforcementSchema,
  EnvFingerprint: EnvFingerprintSchema,
  Envelope: EnvelopeSchema,
  ErrorCode: ErrorCodeSchema,
  ErrorResponse: ErrorResponseSchema,
  JobAttemptRecord: AttemptSchema,
  JobStatus: JobStatusSchema,
  Operator: OperatorSchema,
  OperatorRef: OperatorRefSchema,
  OutputPath: OutputPathSchema,
  Pipeline: PipelineSchema,
  Project: ProjectSchema,
  Receipt: ReceiptSchema,
  Run: RunSchema,
  RunSummary: RunSummarySchema,
  RunMode: RunModeSchema,
  TaskName: TaskNameSchema,
  Timestamp: TimestampSchema,
  Verdict: VerdictSchema,
} as const satisfies Record<string, z.ZodType>);

/** A `$defs` name of the contracts document. */
export type ContractName = keyof typeof CONTRACT_SCHEMAS;
