import type { z } from "zod";
import { AdminActionTypeSchema, AdminEventSchema } from "./admin-event.js";
import { ArtifactRefSchema } from "./artifact-ref.js";
import { AccessGrantEntrySchema, AccessGrantOutputSchema, AccessGrantSchema, AccessListOutputSchema, AccessListSchema, AccessRevocationSchema, AccessRevokeOutputSchema, RoleSchema } from "./access-grant.js";
import {
  AdminControlOutputSchema,
  AdminControlSchema,
  ReadModelRebuildOutputSchema,
  ReadModelRebuildSchema,
  ReadModelStatusSchema,
  RetentionOutputSchema,
  RetentionSchema,
} from "./admin-control.js";
import { ArtifactCopySchema, ArtifactGetOutputSchema } from "./artifact-copy.js";
import { AuditEntrySchema, AuditOutputSchema } from "./audit-entry.js";
import { LogLineSchema } from "./command-output.js";
import {
  DebugEvidenceFileSchema,
  DebugMissingOutputSchema,
  DebugPacketOutputSchema,
  DebugPacketsOutputSchema,
  DebugPacketSummarySchema,
  MissingDebugPacketSchema,
} from "./debug-packet-output.js";
import { EffectOutputSchema } from "./effect-output.js";
import { ExplainOutputSchema, ExplanationSchema, ReceiptChangeSchema } from "./explanation.js";
import { GateDecisionSchema, GatesOutputSchema } from "./gate-decision.js";
import { OperatorListOutputSchema, OperatorShowOutputSchema, OperatorStatusSchema, OperatorTransitionOutputSchema, OperatorTransitionSchema, OperatorViewSchema } from "./operator-view.js";
import { ReceiptOutputSchema } from "./receipt-output.js";
import { RunOutputSchema, RunsOutputSchema } from "./run-output.js";
import { SecretChangeOutputSchema, SecretChangeSchema, SecretInfoSchema, SecretListOutputSchema } from "./secret-info.js";
import { MonitorOutputSchema, SuggestionSchema } from "./suggestion.js";
import { ReadModelCheckSchema, VerifyOutputSchema, VerifyReportSchema } from "./verify-report.js";
import {
  DefinitionVersionSchema,
  SyncWarningSchema,
  WatermarkListOutputSchema,
  WatermarkMoveSchema,
  WatermarkOverrideOutputSchema,
  WatermarkOverrideSchema,
  WatermarkShowOutputSchema,
  WatermarkViewSchema,
} from "./watermark.js";
import { ChainHeadSchema, InitOutputSchema, WorkspaceInfoSchema } from "./workspace-info.js";
import { ClassificationSchema, ClassifyOutputSchema, ModesOutputSchema, WorkModeContractSchema } from "./work-mode.js";
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
import { CommandEnvelopeSchema, CommandErrorSchema, EnvelopeSchema } from "./envelope.js";
import { ErrorCodeSchema } from "./error-code.js";
import { ErrorResponseSchema } from "./error-response.js";
import { JobStatusSchema } from "./job-status.js";
import { OperatorSchema } from "./operator.js";
import { PipelineSchema, TaskNameSchema } from "./pipeline.js";
import { ReceiptSchema } from "./receipt.js";
import { RunSchema, RunSummarySchema } from "./run.js";
import { EnforcementSchema, RunModeSchema } from "./run-mode.js";
import { CheckVerdictSchema, VerdictSchema } from "./verdict.js";

/**
 * Every public record and shared building block, by its `$defs` name in
 * `contracts/runledger.schema.json`. Each schema appears once; the JSON Schema refers to these
 * names wherever one schema uses another.
 */
export const CONTRACT_SCHEMAS = Object.freeze({
  AccessGrant: AccessGrantSchema,
  AccessGrantEntry: AccessGrantEntrySchema,
  AccessGrantOutput: AccessGrantOutputSchema,
  AccessList: AccessListSchema,
  AccessListOutput: AccessListOutputSchema,
  AccessRevocation: AccessRevocationSchema,
  AccessRevokeOutput: AccessRevokeOutputSchema,
  Actor: ActorSchema,
  AdminActionType: AdminActionTypeSchema,
  AdminControl: AdminControlSchema,
  AdminControlOutput: AdminControlOutputSchema,
  AdminEvent: AdminEventSchema,
  ArtifactCopy: ArtifactCopySchema,
  ArtifactGetOutput: ArtifactGetOutputSchema,
  ArtifactRef: ArtifactRefSchema,
  AuditEntry: AuditEntrySchema,
  AuditOutput: AuditOutputSchema,
  ChainHead: ChainHeadSchema,
  CheckVerdict: CheckVerdictSchema,
  Classification: ClassificationSchema,
  ClassifyOutput: ClassifyOutputSchema,
  CommandEnvelope: CommandEnvelopeSchema,
  CommandError: CommandErrorSchema,
  ConfigVersionRef: ConfigVersionRefSchema,
  DebugEvidenceFile: DebugEvidenceFileSchema,
  DebugMissingOutput: DebugMissingOutputSchema,
  DebugPacket: DebugPacketSchema,
  DebugPacketOutput: DebugPacketOutputSchema,
  DebugPacketSummary: DebugPacketSummarySchema,
  DebugPacketsOutput: DebugPacketsOutputSchema,
  DefinitionVersion: DefinitionVersionSchema,
  Digest: DigestSchema,
  EffectOutput: EffectOutputSchema,
  Enforcement: EnforcementSchema,
  EnvFingerprint: EnvFingerprintSchema,
  Envelope: EnvelopeSchema,
  ErrorCode: ErrorCodeSchema,
  ErrorResponse: ErrorResponseSchema,
  ExplainOutput: ExplainOutputSchema,
  Explanation: ExplanationSchema,
  GateDecision: GateDecisionSchema,
  GatesOutput: GatesOutputSchema,
  InitOutput: InitOutputSchema,
  JobAttemptRecord: AttemptSchema,
  JobStatus: JobStatusSchema,
  LogLine: LogLineSchema,
  MissingDebugPacket: MissingDebugPacketSchema,
  ModesOutput: ModesOutputSchema,
  MonitorOutput: MonitorOutputSchema,
  Operator: OperatorSchema,
  OperatorListOutput: OperatorListOutputSchema,
  OperatorRef: OperatorRefSchema,
  OperatorShowOutput: OperatorShowOutputSchema,
  OperatorStatus: OperatorStatusSchema,
  OperatorTransition: OperatorTransitionSchema,
  OperatorTransitionOutput: OperatorTransitionOutputSchema,
  OperatorView: OperatorViewSchema,
  OutputPath: OutputPathSchema,
  Pipeline: PipelineSchema,
  Project: ProjectSchema,
  ReadModelCheck: ReadModelCheckSchema,
  ReadModelRebuild: ReadModelRebuildSchema,
  ReadModelRebuildOutput: ReadModelRebuildOutputSchema,
  ReadModelStatus: ReadModelStatusSchema,
  Receipt: ReceiptSchema,
  ReceiptChange: ReceiptChangeSchema,
  ReceiptOutput: ReceiptOutputSchema,
  Retention: RetentionSchema,
  RetentionOutput: RetentionOutputSchema,
  Role: RoleSchema,
  Run: RunSchema,
  RunMode: RunModeSchema,
  RunOutput: RunOutputSchema,
  RunSummary: RunSummarySchema,
  RunsOutput: RunsOutputSchema,
  SecretChange: SecretChangeSchema,
  SecretChangeOutput: SecretChangeOutputSchema,
  SecretInfo: SecretInfoSchema,
  SecretListOutput: SecretListOutputSchema,
  Suggestion: SuggestionSchema,
  SyncWarning: SyncWarningSchema,
  TaskName: TaskNameSchema,
  Timestamp: TimestampSchema,
  Verdict: VerdictSchema,
  VerifyOutput: VerifyOutputSchema,
  VerifyReport: VerifyReportSchema,
  WatermarkListOutput: WatermarkListOutputSchema,
  WatermarkMove: WatermarkMoveSchema,
  WatermarkOverride: WatermarkOverrideSchema,
  WatermarkOverrideOutput: WatermarkOverrideOutputSchema,
  WatermarkShowOutput: WatermarkShowOutputSchema,
  WatermarkView: WatermarkViewSchema,
  WorkMode: WorkModeContractSchema,
  WorkspaceInfo: WorkspaceInfoSchema,
} as const satisfies Record<string, z.ZodType>);

/** A `$defs` name of the contracts document. */
export type ContractName = keyof typeof CONTRACT_SCHEMAS;
