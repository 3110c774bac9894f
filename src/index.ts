// The public API of runledger: every name a user may rely on, listed explicitly. Backends that
// need optional dependencies and the conformance suites have entry points of their own:
// `runledger/postgres` (needs `pg`) and `runledger/conformance` (needs `vitest`).
// `api/runledger.api.txt` lists every exported name of every entry point; a test keeps it current.

// Core: canonical JSON, digests, ids, the clock, the error canon.
export { canonicalJson, type JsonValue } from "./core/canonical-json.js";
export { fixedClock, isoUtc, systemClock, type Clock } from "./core/clock.js";
export { DIGEST_ALG, digestHex, digestOf, isDigest, parseDigest, sha256, type Digest } from "./core/digest.js";
export {
  ERROR_CANON,
  ERROR_CODES,
  RunledgerError,
  isRunledgerError,
  toRunledgerError,
  type ErrorCode,
  type ErrorKind,
  type Issue,
  type RunledgerErrorOptions,
} from "./core/errors.js";
export { randomIds, type IdSource } from "./core/ids.js";
export { STATE_DIR } from "./core/state-dir.js";
export { parseDuration } from "./core/duration.js";

// Contracts: the zod schemas of every public record, and their JSON Schema.
export {
  ADMIN_ACTION_TYPES,
  ADMIN_RESULTS,
  AdminActionSchema,
  AdminActionTypeSchema,
  AdminEventSchema,
  AdminTargetSchema,
  type AdminActionRecord,
  type AdminActionType,
  type AdminEvent,
  type AdminTarget,
} from "./contracts/admin-event.js";
export { ArtifactRefSchema, type ArtifactRef } from "./contracts/artifact-ref.js";
export { AttemptSchema, CorrelationIdsSchema, JobAttemptRecordSchema, type Attempt, type CorrelationIds, type JobAttemptRecord } from "./contracts/attempt.js";
export {
  ACTOR_KINDS,
  ActorSchema,
  DigestSchema,
  OperatorIdSchema,
  OperatorRefSchema,
  OperatorVersionSchema,
  OutputPathSchema,
  PRINTABLE_TEXT,
  ProjectSchema,
  TERMINAL_CONTROLS,
  TimestampSchema,
  type Actor,
} from "./contracts/common.js";
export { ConfigVersionRefSchema, type ConfigVersionRef } from "./contracts/config-version-ref.js";
export { CONTRACT_SCHEMAS, type ContractName } from "./contracts/contract-schemas.js";
export {
  DEBUG_PACKET_STATUSES,
  DebugPacketSchema,
  ExperimentSchema,
  MAX_HYPOTHESES,
  MinimalReproSchema,
  type DebugPacket,
  type Experiment,
  type MinimalRepro,
} from "./contracts/debug-packet.js";
export { EnvFingerprintSchema, type EnvFingerprint } from "./contracts/env-fingerprint.js";
export {
  CommandEnvelopeSchema,
  CommandErrorSchema,
  EnvelopeSchema,
  ErrorEnvelopeSchema,
  IssueSchema,
  SuccessEnvelopeSchema,
  type CommandEnvelope,
  type CommandError,
  type Envelope,
  type ErrorEnvelope,
  type SuccessEnvelope,
} from "./contracts/envelope.js";
export { ErrorCodeSchema } from "./contracts/error-code.js";
export { ErrorResponseSchema, type ErrorResponse } from "./contracts/error-response.js";
export { JOB_STATUSES, JobStatusSchema, type JobStatus } from "./contracts/job-status.js";
export { CONTRACTS_SCHEMA_ID, CONTRACTS_SCHEMA_PATH, renderContracts } from "./contracts/json-schema.js";
export {
  AcceptanceCheckSpecSchema,
  OPERATOR_KINDS,
  OPERATOR_LIFECYCLES,
  OperatorSchema,
  type AcceptanceCheckSpec,
  type Operator,
} from "./contracts/operator.js";
export { PipelineSchema, PipelineTaskSchema, TaskNameSchema, type Pipeline, type PipelineInput, type PipelineTask } from "./contracts/pipeline.js";
export { OutputIndexEntrySchema, ReceiptSchema, StreamCaptureSchema, type OutputIndexEntry, type Receipt, type StreamCapture } from "./contracts/receipt.js";
export { ENFORCEMENTS, EnforcementSchema, RUN_MODES, RunModeSchema, type Enforcement, type RunMode } from "./contracts/run-mode.js";
export { RUN_STATUSES, RunSchema, RunSummarySchema, RunTaskSchema, TASK_OUTCOMES, type Run, type RunSummary, type RunTask } from "./contracts/run.js";
export { CheckVerdictSchema, VERDICTS, VerdictSchema, type Verdict } from "./contracts/verdict.js";

// What each CLI command prints with --json (docs/contracts.md).
export {
  AccessGrantEntrySchema,
  AccessGrantOutputSchema,
  AccessGrantSchema,
  AccessListOutputSchema,
  AccessListSchema,
  AccessRevocationSchema,
  AccessRevokeOutputSchema,
  ROLE_NAMES,
  RoleSchema,
  type AccessGrant,
  type AccessGrantEntry,
  type AccessGrantOutput,
  type AccessList,
  type AccessListOutput,
  type AccessRevocation,
  type AccessRevokeOutput,
  type RoleName,
} from "./contracts/access-grant.js";
export {
  AdminControlOutputSchema,
  AdminControlSchema,
  ReadModelRebuildOutputSchema,
  ReadModelRebuildSchema,
  ReadModelStatusSchema,
  RetentionOutputSchema,
  RetentionSchema,
  type AdminControl,
  type AdminControlOutput,
  type ReadModelRebuild,
  type ReadModelRebuildOutput,
  type ReadModelStatus,
  type Retention,
  type RetentionOutput,
} from "./contracts/admin-control.js";
export { ArtifactCopySchema, ArtifactGetOutputSchema, type ArtifactCopy, type ArtifactGetOutput } from "./contracts/artifact-copy.js";
export { AuditEntrySchema, AuditOutputSchema, type AuditEntry, type AuditOutput } from "./contracts/audit-entry.js";
export { LOG_LEVELS, LogLineSchema, commandOutput, type LogLine } from "./contracts/command-output.js";
export { COMMAND_OUTPUTS, commandOutputSchema, type CommandPath } from "./contracts/command-outputs.js";
export {
  DebugEvidenceFileSchema,
  DebugMissingOutputSchema,
  DebugPacketOutputSchema,
  DebugPacketSummarySchema,
  DebugPacketsOutputSchema,
  MissingDebugPacketSchema,
  type DebugEvidenceFile,
  type DebugMissingOutput,
  type DebugPacketOutput,
  type DebugPacketSummary,
  type DebugPacketsOutput,
} from "./contracts/debug-packet-output.js";
export { EffectOutputSchema, type EffectOutput } from "./contracts/effect-output.js";
export {
  ExplainOutputSchema,
  ExplainedEffectCallSchema,
  ExplanationSchema,
  ReceiptChangeSchema,
  type ExplainOutput,
  type Explanation,
  type ReceiptChange,
} from "./contracts/explanation.js";
export { GATE_STATUSES, GateAdvanceSchema, GateDecisionSchema, GatesOutputSchema, type GateDecision, type GatesOutput } from "./contracts/gate-decision.js";
export {
  OPERATOR_STATUSES,
  OperatorListOutputSchema,
  OperatorShowOutputSchema,
  OperatorStatusSchema,
  OperatorTransitionOutputSchema,
  OperatorTransitionSchema,
  OperatorViewSchema,
  type OperatorListOutput,
  type OperatorShowOutput,
  type OperatorStatusName,
  type OperatorTransition,
  type OperatorTransitionOutput,
  type OperatorView,
} from "./contracts/operator-view.js";
export { ReceiptOutputSchema, type ReceiptOutput } from "./contracts/receipt-output.js";
export { RunOutputSchema, RunsOutputSchema, type RunOutput, type RunsOutput } from "./contracts/run-output.js";
export {
  SecretChangeOutputSchema,
  SecretChangeSchema,
  SecretInfoSchema,
  SecretListOutputSchema,
  type SecretChange,
  type SecretChangeOutput,
  type SecretListOutput,
} from "./contracts/secret-info.js";
export { MonitorOutputSchema, SuggestionSchema, type MonitorOutput, type Suggestion } from "./contracts/suggestion.js";
export { ReadModelCheckSchema, VerifyOutputSchema, VerifyReportSchema, type VerifyOutput } from "./contracts/verify-report.js";
export {
  DefinitionVersionSchema,
  SyncWarningSchema,
  WatermarkListOutputSchema,
  WatermarkMoveSchema,
  WatermarkOverrideOutputSchema,
  WatermarkOverrideSchema,
  WatermarkShowOutputSchema,
  WatermarkViewSchema,
  type DefinitionVersion,
  type SyncWarning,
  type WatermarkListOutput,
  type WatermarkMove,
  type WatermarkOverride,
  type WatermarkOverrideOutput,
  type WatermarkShowOutput,
  type WatermarkView,
} from "./contracts/watermark.js";
export {
  ClassificationSchema,
  ClassifyOutputSchema,
  ModesOutputSchema,
  WorkModeContractSchema,
  type ClassifyOutput,
  type ModesOutput,
} from "./contracts/work-mode.js";
export { ChainHeadSchema, InitOutputSchema, WorkspaceInfoSchema, type InitOutput, type WorkspaceInfo } from "./contracts/workspace-info.js";

// The ledger: the port, the embedded SQLite backend, the event catalogue, the hash chain, projections.
export { EVENT_CATALOGUE, EVENT_TYPES, isEventType, type EventData, type EventType } from "./ledger/events.js";
export { EVENT_HASH_SCHEMA, GENESIS_HASH, hashEvent, type ChainBreak, type ChainHead } from "./ledger/hash-chain.js";
export { Ledger, type EventRedactor, type LedgerOptions, type ReadQuery, type VerifyReport } from "./ledger/ledger.js";
export type { LedgerEvent, LedgerEventOf, NewEvent } from "./ledger/ledger-event.js";
export type { LedgerCapabilities, LedgerStore, ScanQuery } from "./ledger/ledger-store.js";
export { SqliteLedgerStore, type SqliteLedgerOptions } from "./ledger/sqlite/index.js";
export { Projector, applyEvent } from "./ledger/projections/index.js";
export {
  emptyProjectionState,
  type AdminEventView,
  type ArtifactView,
  type AttemptStatus,
  type AttemptView,
  type DebugPacketView,
  type EffectCallView,
  type EvidenceFileView,
  type GateView,
  type ProjectionState,
  type RunStatus,
  type RunView,
  type RunViolationView,
  type StopRuleView,
  type SuggestionView,
  type TaskView,
  type ViolationView,
} from "./ledger/projections/index.js";

// Artifacts: the port and the filesystem backend.
export {
  ARTIFACT_REF_PREFIX,
  artifactCorruptError,
  artifactNotFoundError,
  artifactRef,
  storedArtifact,
  type ArtifactSource,
  type ArtifactStat,
  type ArtifactStore,
  type ArtifactStoreCapabilities,
  type PutOptions,
  type StoredArtifact,
  type VerifyAllReport,
} from "./artifacts/index.js";
export { FsArtifactStore, openFsArtifactStore, type FileSystem, type FsArtifactStoreOptions } from "./artifacts/index.js";

// The workspace: runledger.json, opening the backends it names.
export {
  CONFIG_FILE,
  WorkspaceConfigSchema,
  engineDeps,
  findWorkspaceRoot,
  initWorkspace,
  openWorkspace,
  parseWorkspaceConfig,
  workRootOf,
  type OpenOptions,
  type Workspace,
  type WorkspaceConfig,
} from "./workspace/index.js";

// Acceptance checks.
export {
  CHECK_KINDS,
  CheckSpecSchema,
  DEFAULT_COMMAND_TIMEOUT_MS,
  evaluateCheck,
  evaluateChecks,
  summarizeVerdict,
  type JsonCheckSpec,
} from "./checks/index.js";
export type {
  CheckContext,
  CheckFinding,
  CheckKind,
  CheckOutcome,
  CheckResult,
  CheckSpec,
  CheckVerdict,
  CommandCheckSpec,
  CustomCheckContext,
  CustomCheckFn,
  CustomCheckSpec,
  JsonSchemaCheckSpec,
  JsonSchemaDocument,
  NonEmptyCheckSpec,
  RowCountCheckSpec,
  RowsCheckSpec,
} from "./checks/index.js";

// Operators.
export { DEFAULT_OPERATOR_MODES, OperatorRegistry, defineOperator, operatorCodeDigest, validateOperator, type OperatorSpec } from "./operators/index.js";
export type { EffectsClient, ManualPerformer, OperatorContext, OperatorDefinition, OperatorFn, OperatorKind, OperatorResult } from "./operators/index.js";

// Pipelines: definition, YAML, validation, the plan.
export {
  DEFAULT_PIPELINE_MODE,
  DEFAULT_TASK_TIMEOUT_MS,
  DurationSchema,
  assertValidPipeline,
  definePipeline,
  loadPipelineFile,
  loadPipelineSource,
  loadPipelineYaml,
  pipelineDigest,
  planPipeline,
  validatePipeline,
  type EffectCallContext,
  type EffectExecute,
  type EffectHandler,
  type LoadPipelineOptions,
  type PipelineDefinition,
  type PipelineSpec,
  type PipelineTask as PipelineTaskDefinition,
  type Plan,
  type TaskSpec,
} from "./pipelines/index.js";

// The engine: run, resume, complete a manual task, decide a gate.
export {
  INPUTS_HASH_SCHEMA,
  attemptEnvelope,
  cacheKey,
  completeTask,
  decideGate,
  envFingerprint,
  inputsHash,
  resumeRun,
  runPipeline,
  type EngineDeps,
  type InputRef,
  type ResumeOptions,
  type RunOptions,
  type TaskProgress,
} from "./engine/index.js";

// Work modes.
export {
  DEFAULT_MODES,
  EvidenceItemSchema,
  ModeRegistry,
  StopRuleSchema,
  WorkModeSchema,
  assessEvidence,
  classifyTitle,
  isCounted,
  modeRegistryWith,
  selectMode,
  type Classification,
  type EvidenceItem,
  type EvidenceResult,
  type ModeSelection,
  type PassedTaskFacts,
  type StopRule,
  type WorkMode,
} from "./modes/index.js";

// Debug packets.
export {
  addExperiment,
  addHypothesis,
  closeDebugPacket,
  debugContext,
  debugPacketOf,
  describeCheckFailure,
  findDebugPacket,
  hasMinimalRepro,
  lastPassingRun,
  minimalRepro,
  missingDebugPackets,
  openDebugPacket,
  type CloseInput,
  type DebugContext,
  type DebugDeps,
  type ExperimentInput,
  type MissingDebugPacket,
  type OpenDebugPacketOptions,
} from "./debug/index.js";

// Secrets: the workspace store, the redactor.
export {
  NO_SECRETS,
  REDACTED,
  SECRET_NAME,
  SecretMask,
  SecretStore,
  createRedactor,
  parseSecretName,
  secretsFromRecord,
  workspaceSecretStore,
  type AttemptSecrets,
  type RedactingStream,
  type Redactor,
  type SecretAccessor,
  type SecretInfo,
  type SecretSource,
  type StagedSecret,
} from "./secrets/index.js";

// Declared config files.
export { readConfigs, type ConfigFile } from "./configs/index.js";
