import { z } from "zod";
import { CONTRACT_SCHEMAS, type ContractName } from "./contract-schemas.js";

/** The `$id` of the generated contracts document. */
export const CONTRACTS_SCHEMA_ID = "https://runledger.dev/contracts/runledger.schema.json";

/** Where the generated document lives, relative to the package root. */
export const CONTRACTS_SCHEMA_PATH = "contracts/runledger.schema.json";

const DESCRIPTIONS: Readonly<Record<ContractName, string>> = {
  AccessGrant: "A new grant as `access grant --json` prints it, with its bearer token shown this once.",
  AccessGrantEntry: "A grant in force as `access list --json` shows it: token hash abbreviated, who granted it and when.",
  AccessGrantOutput: "`access grant --json` on success.",
  AccessList: "Whether access control is on, and the grants in force.",
  AccessListOutput: "`access list --json` on success.",
  AccessRevocation: "A role taken from an actor by `access revoke`.",
  AccessRevokeOutput: "`access revoke --json` on success.",
  Actor: "Who acted: every ledger event names one.",
  AdminActionType: "The kind of an audited admin action.",
  AdminControl: "A scope's admission control after `admin pause|drain|resume`: paused, draining or open.",
  AdminControlOutput: "`admin pause|drain|resume --json` on success.",
  AdminEvent: "The append-only audit record of one admin action, with actor and reason.",
  ArtifactCopy: "An artifact written to a file by `artifacts get -o FILE`.",
  ArtifactGetOutput: "`artifacts get -o FILE --json` on success.",
  ArtifactRef: "A pointer to an immutable blob addressed by its sha256 digest.",
  AuditEntry: "An admin event as `audit --json` lists it: the AdminEvent with its ledger seq and project.",
  AuditOutput: "`audit --json` on success: the admin events, oldest first.",
  ChainHead: "The head of a ledger's hash chain: its last sequence number and that event's hash.",
  CheckVerdict: "A named check and the verdict it reached.",
  Classification: "Which work mode a title selects, the keywords each mode matched, and whether a tie was broken.",
  ClassifyOutput: "`classify --json` on success.",
  CommandEnvelope: "The final stdout line of `runledger … --json`: the command's result, or an error with its issues.",
  CommandError: "What any `runledger \u2026 --json` command prints on stdout when it fails: a canon code, its message, any issues.",
  ConfigVersionRef: "One config version a receipt ran under.",
  DebugEvidenceFile: "An evidence file of a DebugPacket experiment, stored as an artifact.",
  DebugMissingOutput: "`debug missing --json` on success: failed CONTRACT runs without a DebugPacket or its minimal repro.",
  DebugPacket: "The closure record of a failure: symptom, minimal repro, at most 3 hypotheses, experiments, next.",
  DebugPacketOutput: "`debug new|hypothesis|experiment|close|show --json` on success: the DebugPacket and what the ledger adds.",
  DebugPacketSummary: "A DebugPacket as `debug list --json` lists it.",
  DebugPacketsOutput: "`debug list --json` on success.",
  DefinitionVersion: "The version of the definition a watermark value was produced under.",
  Digest: "A content digest: sha256:<64 lowercase hex>.",
  EffectOutput: "`effect --json` on success, inside a command operator: the effect and its result.",
  Enforcement: "shadow routes declared external effects to a log sink; enforced performs them.",
  EnvFingerprint: "Sorted k=v; pairs describing the execution environment.",
  Envelope: "The final stdout line of a processor adapter (seed 002): a success or an error envelope.",
  ErrorCode: "A stable ERR_* code of the error canon.",
  ErrorResponse: "The thin error body of the HTTP API and library boundaries.",
  ExplainOutput: "`explain --json` on success.",
  Explanation: "Why a task ran or was reused: the cache source, or the receipt fields that changed.",
  GateDecision: "One gate of one run: checks, verdict, approval, the watermark it advances, who decided and why.",
  GatesOutput: "`gate status --json` on success: the gate decisions, newest first.",
  InitOutput: "`init --json` on success.",
  JobAttemptRecord: "One try of one task; retries make new attempts; history is append-only.",
  JobStatus: "The status of an attempt.",
  LogLine: "One JSON line `--json` writes to stderr: level, event, execution id and the event's fields.",
  MissingDebugPacket: "A failed CONTRACT run without a DebugPacket, or whose packet lacks its minimal repro.",
  ModesOutput: "`modes --json` on success.",
  MonitorOutput: "`monitor run --json` on success: the suggestions and how many were recorded now.",
  Operator: "A registered, versioned unit of work.",
  OperatorListOutput: "`operator list --json` on success.",
  OperatorRef: "An operator reference: <id>@<version>.",
  OperatorShowOutput: "`operator show --json` on success.",
  OperatorStatus: "An operator's governed status: lifecycle, QUARANTINED, or UNGOVERNED.",
  OperatorTransition: "The status an operator moved to by `operator register|activate|deprecate|remove`.",
  OperatorTransitionOutput: "`operator register|activate|deprecate|remove --json` on success.",
  OperatorView: "An operator as the ledger knows it: status, use, violations and lifecycle history.",
  OutputPath: "A relative path under outputs/.",
  Pipeline: "A DAG of tasks run in one work mode.",
  Project: "A project name: the namespace of state.",
  Receipt: "The per-attempt record of what ran, on what, under which config, producing which outputs.",
  ReceiptChange: "One stable receipt field (or input) that differs from the earlier passed attempt.",
  ReceiptOutput: "`receipt --json` on success: the receipt, its digest and the attempt's envelope.",
  ReadModelCheck: "The stored read models as `verify` found them: equal to a fresh derivation of the chain, by this code version.",
  ReadModelRebuild: "What `admin rebuild-read-models` did: the models' version and seq before and after, the events derived and the time taken.",
  ReadModelRebuildOutput: "`admin rebuild-read-models --json` on success.",
  ReadModelStatus: "The read models' code version (null: never built) and the last event they reflect.",
  Retention: "What the workspace keeps: the working directories of the newest N finished runs (null: all).",
  RetentionOutput: "`admin retention --json` on success.",
  Role: "A role of access control: viewer, operator, approver or admin.",
  Run: "One execution of a pipeline for one project, in one work mode and one run mode, as `run --json` and `show --json` print it under `run`.",
  RunMode: "mock uses mock providers and needs no secrets; real does the real work.",
  RunOutput: "`run`, `show`, `resume`, `complete`, `next`, `gate approve|reject` and `admin replay` with --json on success.",
  RunSummary: "A run as `runs --json` lists it under `runs`.",
  RunsOutput: "`runs --json` on success.",
  SecretChange: "A secret set, rotated (with the new version's info) or removed; never its value.",
  SecretChangeOutput: "`secret set|rotate|remove --json` on success.",
  SecretInfo: "A stored secret's name, version, when and by whom it was set; never its value.",
  SecretListOutput: "`secret list --json` on success.",
  Suggestion: "A monitor's [SUGGESTION], with its monitor and the key that records it once.",
  SyncWarning: "A broken sync rule between two watermarks.",
  TaskName: "A task name within a pipeline.",
  Timestamp: "An ISO-8601 UTC timestamp with a Z suffix.",
  Verdict: "A check verdict.",
  VerifyOutput: "`verify --json` on success.",
  VerifyReport: "What `verify` checked: events, head hash, blobs re-hashed, blobs the ledger names, and the read models (absent where the ledger keeps none).",
  WatermarkListOutput: "`watermark list --json` on success.",
  WatermarkMove: "How a watermark moved: a gate of a run, or an audited override.",
  WatermarkOverride: "An audited `watermark override`: the value before and after, and who overrode it.",
  WatermarkOverrideOutput: "`watermark override --json` on success.",
  WatermarkShowOutput: "`watermark show --json` on success.",
  WatermarkView: "A named monotonic pointer: value, definition, validity, last move and history.",
  WorkMode: "A work mode as `modes --json` lists it: intent, outputs, risk, keywords, evidence, stop rules.",
  WorkspaceInfo: "A workspace as `init` created it: root, name, project and ledger head.",
};

/** Returns a copy of a JSON value with every object's keys in ascending order (arrays keep their order). */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, inner]) => [key, sortKeys(inner)]));
}

/**
 * Builds the contracts document: one JSON Schema draft 2020-12 with every schema of
 * {@link CONTRACT_SCHEMAS} under `$defs`, cross-referenced as `#/$defs/<Name>`. Schemas describe
 * documents as written (zod input), so defaulted fields are optional. Refinements that JSON Schema
 * cannot express (e.g. unique output paths) are enforced by the zod schemas only.
 * Deterministic: sorted keys, 2-space indent, trailing newline.
 */
export function renderContracts(): string {
  const registry = z.registry<{ id: string; description: string }>();
  for (const [name, schema] of Object.entries(CONTRACT_SCHEMAS) as [ContractName, z.ZodType][]) {
    registry.add(schema, { id: name, description: DESCRIPTIONS[name] });
  }
  const { schemas } = z.toJSONSchema(registry, {
    target: "draft-2020-12",
    io: "input",
    metadata: registry,
    uri: (id) => `#/$defs/${id}`,
  });
  const defs: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(schemas)) {
    defs[name] = Object.fromEntries(Object.entries(schema).filter(([key]) => key !== "$schema" && key !== "$id"));
  }
  const document = {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: CONTRACTS_SCHEMA_ID,
    title: "runledger public contracts",
    description: "Generated from src/contracts by `npm run contracts`; do not edit by hand.",
    $defs: defs,
  };
  return `${JSON.stringify(sortKeys(document), null, 2)}\n`;
}
