import { z } from "zod";
import { CONTRACT_SCHEMAS, type ContractName } from "./contract-schemas.js";

/** The `$id` of the generated contracts document. */
export const CONTRACTS_SCHEMA_ID = "https://runledger.dev/contracts/runledger.schema.json";

/** Where the generated document lives, relative to the package root. */
export const CONTRACTS_SCHEMA_PATH = "contracts/runledger.schema.json";

const DESCRIPTIONS: Readonly<Record<ContractName, string>> = {
  Actor: "Who acted: every ledger event names one.",
  AdminActionType: "The kind of an audited admin action.",
  AdminEvent: "The append-only audit record of one admin action, with actor and reason.",
  ArtifactRef: "A pointer to an immutable blob addressed by its sha256 digest.",
  CommandEnvelope: "The final stdout line of `runledger … --json`: the command's result, or an error with its issues.",
  ConfigVersionRef: "One config version a receipt ran under.",
  DebugPacket: "The closure record of a failure: symptom, minimal repro, at most 3 hypotheses, experiments, next.",
  Digest: "A content digest: sha256:<64 lowercase hex>.",
  Enforcement: "shadow routes declared external effects to a log sink; enforced performs them.",
  EnvFingerprint: "Sorted k=v; pairs describing the execution environment.",
  Envelope: "The final stdout line of a processor adapter (seed 002): a success or an error envelope.",
  ErrorCode: "A stable ERR_* code of the error canon.",
  ErrorResponse: "The thin error body of the HTTP API and library boundaries.",
  JobAttemptRecord: "One try of one task; retries make new attempts; history is append-only.",
  JobStatus: "The status of an attempt.",
  Operator: "A registered, versioned unit of work.",
  OperatorRef: "An operator reference: <id>@<version>.",
  OutputPath: "A relative path under outputs/.",
  Pipeline: "A DAG of tasks run in one work mode.",
  Project: "A project name: the namespace of state.",
  Receipt: "The per-attempt record of what ran, on what, under which config, producing which outputs.",
  Run: "One execution of a pipeline for one project, in one work mode and one run mode, as `run --json` and `show --json` print it under `run`.",
  RunSummary: "A run as `runs --json` lists it under `runs`.",
  RunMode: "mock uses mock providers and needs no secrets; real does the real work.",
  TaskName: "A task name within a pipeline.",
  Timestamp: "An ISO-8601 UTC timestamp with a Z suffix.",
  Verdict: "A check verdict.",
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
