import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  AdminEventSchema,
  ArtifactRefSchema,
  AttemptSchema,
  AuditEntrySchema,
  COMMAND_OUTPUTS,
  CONTRACT_SCHEMAS,
  CONTRACTS_SCHEMA_PATH,
  CommandErrorSchema,
  DebugPacketSchema,
  EnvelopeSchema,
  ErrorResponseSchema,
  ExplanationSchema,
  JobAttemptRecordSchema,
  LogLineSchema,
  OperatorSchema,
  PipelineSchema,
  ReceiptSchema,
  RunSchema,
  SecretChangeSchema,
  commandOutputSchema,
  renderContracts,
} from "../src/contracts/index.js";

const D1 = `sha256:${"a".repeat(64)}`;
const D2 = `sha256:${"b".repeat(64)}`;
const T0 = "2025-01-02T03:04:05.000Z";

const artifactRef = { ref: `artifact://sha256/${"a".repeat(64)}`, digest: D1, digest_alg: "sha256", schema_version: "1", size_bytes: 12 };
const attempt = {
  job_id: "job-1",
  attempt_id: "att-1",
  attempt_number: 1,
  status: "failed",
  created_at_utc: T0,
  updated_at_utc: T0,
  correlation_ids: { run_id: "run-1", task: "ingest", bundle_id: "b-7" },
  error_code: "ERR_TIMEOUT",
  retryable: true,
};
const receipt = {
  execution_id: "exec-1",
  run_id: "run-1",
  task: "ingest",
  attempt_id: "att-1",
  project: "demo",
  processor_ref: "ingest@1.0.0",
  code_digest: D1,
  env_fingerprint: "image=sha256:x;node=v20;",
  inputs_hash: D2,
  hash_schema: "runledger.inputs.v1",
  config_versions: [{ config_name: "thresholds", config_version: "3" }],
  outputs_index: [{ path: "outputs/data.csv", digest: D2, size_bytes: 10 }],
  processor_info: "ingest v1",
  usage: {},
  timestamp_utc: T0,
  duration_ms: 5,
  mode: "mock",
  enforcement: "shadow",
  result: "PASS",
  stderr: { digest: D1, size_bytes: 0, tail: "" },
};
const adminEvent = {
  admin_event_id: "adm-1",
  action_type: "rotate_secret",
  actor: { kind: "human", id: "ana" },
  observed_at_utc: T0,
  reason: "quarterly rotation",
  targets: [{ kind: "secret", id: "API_KEY" }],
  result: "applied",
};
const debugPacket = {
  debug_packet_id: "dp-1",
  project_id: "demo",
  run_id: "run-1",
  symptom: "ingest times out",
  context: { changed: "upstream" },
  minimal_repro: { commands: ["runledger run demo"], inputs: [], expected: "PASS", actual: "ERR_TIMEOUT" },
  hypotheses: ["slow upstream"],
  experiments: [{ change: "raise timebox", result: "passes", evidence: ["logs/run-2.json"] }],
  decision: "upstream is slow",
  resolution_or_next: "raise timebox to 60s",
  regression_guard: "timeout test",
  time_spent_minutes: 25,
  status: "closed",
};
const operator = {
  id: "ingest",
  version: "1.0.0",
  ref: "ingest@1.0.0",
  name: "Ingest",
  kind: "command",
  mode_ids: ["PIPELINE"],
  inputs: { url: { type: "string" } },
  outputs: ["outputs/data.csv"],
  effects: [],
  secrets: [],
  acceptance_checks: [{ name: "non-empty", kind: "non_empty" }],
  timebox_ms: 60_000,
  retries: 2,
  failure_paths: ["open a DebugPacket"],
  evidence_pattern: ["outputs/data.csv"],
  steps: ["fetch", "write"],
  lifecycle: "ACTIVE",
};
const task = { operator: "ingest@1.0.0", needs: [], critical: true, inputs: {}, allow_warn: false };
const pipeline = { name: "daily", mode: "PIPELINE", tasks: { ingest: task, report: { ...task, needs: ["ingest"] } } };
const run = {
  id: "run-1",
  pipeline: "daily",
  project: "demo",
  status: "succeeded",
  result: "PASS",
  as_of: T0,
  work_mode: "PIPELINE",
  run_mode: "mock",
  enforcement: "shadow",
  requested_at_utc: T0,
  finished_at_utc: T0,
  next: "review the report",
  counted: true,
  tasks: [
    {
      name: "ingest",
      outcome: "SUCCESS",
      reason: null,
      checks: [{ name: "non-empty", result: "PASS" }],
      attempts: [{ id: "att-1", status: "succeeded", receipt_digest: D1 }],
    },
  ],
};
const success = {
  status: "success",
  execution_id: "exec-1",
  outputs: [{ path: "outputs/data.csv" }],
  index_path: "outputs.json",
  meta: { env_fingerprint: "node=v20;" },
  run: { id: "run-1" },
};
const failure = { status: "error", execution_id: "exec-1", error: { code: "ERR_CI_SAFETY", message: "Refusing to run mode=real in CI" }, meta: {} };

function accepts(schema: z.ZodType, value: unknown): void {
  const result = schema.safeParse(value);
  expect(result.error?.issues ?? []).toEqual([]);
}
function rejects(schema: z.ZodType, value: unknown): void {
  expect(schema.safeParse(value).success).toBe(false);
}

describe("generated contracts document", () => {
  const committed = readFileSync(join(import.meta.dirname, "..", CONTRACTS_SCHEMA_PATH), "utf8");
  const document = JSON.parse(committed) as { $schema: string; $id: string; $defs: Record<string, unknown> };

  it("matches renderContracts() byte for byte", () => {
    expect(committed === renderContracts(), `${CONTRACTS_SCHEMA_PATH} is stale: run \`npm run contracts\``).toBe(true);
  });

  it("is draft 2020-12 and holds exactly the CONTRACT_SCHEMAS names under $defs", () => {
    expect(document.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(document.$id).toBe("https://runledger.dev/contracts/runledger.schema.json");
    expect(Object.keys(document.$defs).sort()).toEqual(Object.keys(CONTRACT_SCHEMAS).sort());
    for (const name of [
      "ArtifactRef",
      "JobStatus",
      "JobAttemptRecord",
      "Receipt",
      "ConfigVersionRef",
      "AdminActionType",
      "AdminEvent",
      "DebugPacket",
      "Envelope",
      "ErrorResponse",
      "Operator",
      "Pipeline",
      "Run",
      "Actor",
    ]) {
      expect(document.$defs).toHaveProperty(name);
    }
  });

  it("cross-references only names it defines", () => {
    const refs = [...committed.matchAll(/"\$ref": "#\/\$defs\/([A-Za-z]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(document.$defs).toHaveProperty(ref ?? "");
  });

  it("validates sample records as the zod schemas do", () => {
    const validator = (name: string) => z.fromJSONSchema({ ...document, $ref: `#/$defs/${name}` } as Parameters<typeof z.fromJSONSchema>[0]);
    accepts(validator("Receipt"), receipt);
    rejects(validator("Receipt"), { ...receipt, outputs_index: [{ path: "data.csv", digest: D2, size_bytes: 1 }] });
    accepts(validator("Envelope"), success);
    accepts(validator("Envelope"), failure);
    rejects(validator("Envelope"), { ...failure, error: { code: "ERR_NOPE", message: "x" } });
    accepts(validator("AdminEvent"), adminEvent);
    rejects(validator("AdminEvent"), { ...adminEvent, reason: undefined });
  });
});

describe("contract schemas", () => {
  it("ArtifactRef rejects a bad digest and a ref naming another digest", () => {
    accepts(ArtifactRefSchema, artifactRef);
    rejects(ArtifactRefSchema, { ...artifactRef, digest: "sha256:XYZ" });
    rejects(ArtifactRefSchema, { ...artifactRef, digest: D2 });
    rejects(ArtifactRefSchema, { ...artifactRef, ref: "not a locator" });
    rejects(ArtifactRefSchema, { ...artifactRef, size_bytes: -1 });
  });

  it("JobAttemptRecord needs a known status and error code, and allows extra correlation ids", () => {
    expect(JobAttemptRecordSchema).toBe(AttemptSchema);
    accepts(AttemptSchema, attempt);
    accepts(AttemptSchema, { ...attempt, error_code: null, receipt_digest: D1 });
    rejects(AttemptSchema, { ...attempt, status: "done" });
    rejects(AttemptSchema, { ...attempt, error_code: "ERR_UNKNOWN" });
    rejects(AttemptSchema, { ...attempt, attempt_number: 0 });
    rejects(AttemptSchema, { ...attempt, correlation_ids: { task: "ingest" } });
  });

  it("Receipt keeps outputs under outputs/, unique, and the env fingerprint sorted", () => {
    accepts(ReceiptSchema, receipt);
    rejects(ReceiptSchema, { ...receipt, outputs_index: [{ path: "tmp/data.csv", digest: D2, size_bytes: 1 }] });
    rejects(ReceiptSchema, { ...receipt, outputs_index: [{ path: "outputs/../x", digest: D2, size_bytes: 1 }] });
    rejects(ReceiptSchema, { ...receipt, outputs_index: [...receipt.outputs_index, ...receipt.outputs_index] });
    rejects(ReceiptSchema, { ...receipt, env_fingerprint: "node=v20;image=x;" });
    rejects(ReceiptSchema, { ...receipt, mode: "smoke" });
    rejects(ReceiptSchema, { ...receipt, processor_ref: "ingest" });
  });

  it("AdminEvent needs a non-blank reason and a known action", () => {
    accepts(AdminEventSchema, { ...adminEvent, before: { retention_days: 7 }, after: { retention_days: 30 } });
    const { reason: _reason, ...withoutReason } = adminEvent;
    rejects(AdminEventSchema, withoutReason);
    rejects(AdminEventSchema, { ...adminEvent, reason: "  " });
    rejects(AdminEventSchema, { ...adminEvent, action_type: "delete_everything" });
  });

  it("DebugPacket holds at most 3 hypotheses and evidenced experiments", () => {
    accepts(DebugPacketSchema, debugPacket);
    accepts(DebugPacketSchema, { ...debugPacket, context: "deploy at 09:00", status: "open", decision: "", resolution_or_next: "" });
    rejects(DebugPacketSchema, { ...debugPacket, hypotheses: ["a", "b", "c", "d"] });
    rejects(DebugPacketSchema, { ...debugPacket, experiments: [{ change: "x", result: "y", evidence: [] }] });
    rejects(DebugPacketSchema, { ...debugPacket, resolution_or_next: "" });
  });

  it("Envelope parses success (with extra keys) and error, and rejects unknown codes", () => {
    expect(EnvelopeSchema.parse(success)).toEqual(success);
    accepts(EnvelopeSchema, failure);
    rejects(EnvelopeSchema, { ...failure, error: { code: "ERR_NOPE", message: "x" } });
    rejects(EnvelopeSchema, { ...failure, extra: true });
    rejects(EnvelopeSchema, { ...success, status: "ok" });
  });

  it("ErrorResponse needs a canon code", () => {
    accepts(ErrorResponseSchema, { code: "ERR_USAGE", message: "invalid usage", retryable: false });
    rejects(ErrorResponseSchema, { code: "E_USAGE", message: "invalid usage" });
  });

  it("Operator enforces its invariants", () => {
    accepts(OperatorSchema, operator);
    rejects(OperatorSchema, { ...operator, acceptance_checks: [] });
    rejects(OperatorSchema, { ...operator, outputs: ["data.csv"] });
    rejects(OperatorSchema, { ...operator, outputs: ["outputs/a", "outputs/a"] });
    rejects(OperatorSchema, { ...operator, mode_ids: [] });
    rejects(OperatorSchema, { ...operator, timebox_ms: 0 });
    rejects(OperatorSchema, { ...operator, ref: "ingest@2.0.0" });
  });

  it("Pipeline defaults cache to true and rejects unknown needs", () => {
    expect(PipelineSchema.parse(pipeline).cache).toBe(true);
    rejects(PipelineSchema, { ...pipeline, tasks: { report: { ...task, needs: ["missing"] } } });
    rejects(PipelineSchema, { ...pipeline, tasks: { report: { ...task, needs: ["report"] } } });
    rejects(PipelineSchema, { ...pipeline, run_mode: "dry" });
  });

  it("Run allows nulls while running and rejects unknown outcomes", () => {
    accepts(RunSchema, run);
    accepts(RunSchema, { ...run, status: "running", result: null, finished_at_utc: null, next: null, counted: false });
    rejects(RunSchema, { ...run, tasks: [{ ...run.tasks[0], outcome: "DONE" }] });
    rejects(RunSchema, { ...run, as_of: "yesterday" });
  });
});

describe("command output contracts", () => {
  it("an audit entry is an AdminEvent with its ledger seq and project, and nothing else", () => {
    accepts(AuditEntrySchema, { ...adminEvent, seq: 7, project: "demo" });
    rejects(AuditEntrySchema, adminEvent);
    rejects(AuditEntrySchema, { ...adminEvent, seq: 7, project: "demo", extra: true });
    rejects(AuditEntrySchema, { ...adminEvent, seq: 0, project: "demo" });
  });

  it("an explanation is one of three shapes: reused, ran with nothing to reuse, ran with what changed", () => {
    const base = { task: "ingest", attempt: "att-2", effects: [] };
    accepts(ExplanationSchema, { ...base, decision: "reused", source_attempt: "att-1", source_run: "run-1", changes: [] });
    accepts(ExplanationSchema, { ...base, decision: "ran", previous_attempt: null, changes: [] });
    accepts(ExplanationSchema, {
      ...base,
      decision: "ran",
      previous_attempt: "att-1",
      previous_run: "run-1",
      changes: [{ field: "code_digest", before: D1, after: D2 }],
    });
    rejects(ExplanationSchema, {
      ...base,
      decision: "reused",
      source_attempt: "att-1",
      source_run: "run-1",
      changes: [{ field: "mode", before: "mock", after: "real" }],
    });
    rejects(ExplanationSchema, { ...base, decision: "ran", previous_attempt: "att-1", changes: [] });
  });

  it("a secret change never carries a value", () => {
    const set = { name: "API_KEY", version: 1, set_at_utc: T0, set_by: { kind: "human", id: "ana" }, state: "set" };
    accepts(SecretChangeSchema, set);
    accepts(SecretChangeSchema, { name: "API_KEY", version: 2, state: "removed" });
    rejects(SecretChangeSchema, { ...set, value: "hunter22" });
    rejects(SecretChangeSchema, { ...set, name: "2FA" });
  });

  it("a command's output is closed: success keys and its own, nothing more", () => {
    const verify = { status: "success", execution_id: "exec-1", verify: { events: 3, head: D1, artifacts: 2, referenced: 2 } };
    expect(COMMAND_OUTPUTS.verify).toBe("VerifyOutput");
    accepts(commandOutputSchema("verify"), verify);
    rejects(commandOutputSchema("verify"), { ...verify, extra: 1 });
    rejects(commandOutputSchema("verify"), { ...verify, status: "error" });
    accepts(commandOutputSchema("admin replay"), { status: "success", execution_id: "exec-1", run });
  });

  it("a failure lists its issues with canon codes; a log line names its level, event and execution", () => {
    accepts(CommandErrorSchema, { ...failure, error: { ...failure.error, issues: [{ code: "ERR_SCHEMA", path: ["tasks", 0], message: "bad" }] } });
    rejects(CommandErrorSchema, { ...failure, error: { ...failure.error, issues: [{ code: "ERR_NOPE", path: [], message: "bad" }] } });
    accepts(LogLineSchema, { level: "info", event: "run.start", execution_id: "exec-1", pipeline: "daily" });
    rejects(LogLineSchema, { level: "debug", event: "run.start", execution_id: "exec-1" });
    rejects(LogLineSchema, { level: "error", event: "command.fail", execution_id: "exec-1", code: "ERR_NOPE" });
  });
});
