import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { commandPaths } from "../src/cli/program.js";
import {
  COMMAND_OUTPUTS,
  CONTRACT_SCHEMAS,
  CONTRACTS_SCHEMA_PATH,
  CommandErrorSchema,
  LogLineSchema,
  commandOutputSchema,
  type CommandPath,
} from "../src/contracts/index.js";
import { CLI, runledger, type CliResult } from "./support/cli.js";

/**
 * Every command's `--json` output, on real workspaces, parses against the schema COMMAND_OUTPUTS
 * names for it, and every line it writes to stderr is a LogLine. One workspace carries the whole
 * story (runs, a manual task, gates and watermarks, a DebugPacket, admin actions, operators,
 * monitors, secrets, effects) and ends with access control on; every output is kept and checked below.
 */
const EXAMPLES = resolve(import.meta.dirname, "../examples");
let dir: string;
let root: string;
let token: string | undefined;
const outputs = new Map<string, { args: string[]; result: CliResult }[]>();

/** The command path of CLI arguments: `artifacts get` for a group's command, `run` otherwise. */
function pathOf(args: readonly string[]): string {
  const two = `${args[0]} ${args[1]}`;
  return Object.hasOwn(COMMAND_OUTPUTS, two) ? two : (args[0] ?? "");
}

/** Runs a command with --json in the workspace, keeps its output for the checks below, and returns its stdout parsed. */
function json<T = Record<string, unknown>>(args: string[], input?: string): T {
  const env = { CI: "", ...(token === undefined ? {} : { RUNLEDGER_TOKEN: token }) };
  const result = runledger([...args, "--json"], { cwd: root, env, ...(input === undefined ? {} : { input }) });
  const path = pathOf(args);
  outputs.set(path, [...(outputs.get(path) ?? []), { args, result }]);
  return JSON.parse(result.stdout) as T;
}

interface RunJson {
  id: string;
  status: string;
  tasks: { name: string; attempts: { id: string; receipt_digest: string | null }[] }[];
}
const runOf = (args: string[]) => json<{ run: RunJson }>(args).run;
const attemptOf = (run: RunJson, task: string) => run.tasks.find((t) => t.name === task)?.attempts.at(-1);

function issuesOf(schema: z.ZodType, value: unknown): z.core.$ZodIssue[] {
  return schema.safeParse(value).error?.issues ?? [];
}

/**
 * `runledger effect` prints inside a command operator, which kept its stdout as an output: read
 * it back through the receipt and `artifacts get`, and keep it as the effect command's output.
 */
function keepEffectOutput(run: RunJson): void {
  const receipt = json<{ receipt: { outputs_index: { path: string; digest: string }[] } }>(["receipt", attemptOf(run, "call")?.id ?? ""]).receipt;
  const file = join(dir, "effect.json");
  json(["artifacts", "get", receipt.outputs_index.find((o) => o.path === "outputs/effect.json")?.digest ?? "", "-o", file]);
  outputs.set("effect", [{ args: ["effect", "slack.notify"], result: { code: 0, stdout: readFileSync(file, "utf8"), stderr: "" } }]);
}

/** Runs of the main example (a first run, a cached re-run, a no-cache run), explained, with a receipt and an artifact. */
function batchRuns(): RunJson {
  const batch = join(EXAMPLES, "market-batch/pipeline.yaml");
  const first = runOf(["run", batch]);
  const cached = runOf(["run", batch]);
  const fresh = runOf(["run", batch, "--no-cache"]);
  json(["explain", first.id, "raw"]);
  json(["explain", cached.id, "raw"]);
  json(["explain", fresh.id, "raw"]);
  json(["next", first.id, "compare with the no-cache run"]);
  const receipt = json<{ receipt_digest: string }>(["receipt", attemptOf(first, "raw")?.id ?? ""]);
  json(["artifacts", "get", receipt.receipt_digest, "-o", join(dir, "receipt.json")]);
  return first;
}

/** A manual task waiting, resumed and completed; a failed CONTRACT run and its DebugPacket from open to close. */
function manualTaskAndDebugPacket(): RunJson {
  const waiting = runOf(["run", join(EXAMPLES, "work-blocks/contact.yaml"), "--title", "lead outreach"]);
  json(["resume", waiting.id]);
  const evidence = join(EXAMPLES, "work-blocks/evidence");
  json([
    "complete",
    waiting.id,
    "outreach",
    "--evidence",
    join(evidence, "touches.csv"),
    join(evidence, "follow-up.txt"),
    "--result",
    "PASS",
    "--next",
    "follow up on the 12th",
  ]);
  const failed = runOf(["run", join(EXAMPLES, "work-blocks/contract.yaml")]);
  json(["debug", "missing"]);
  const packet = json<{ debug_packet: { debug_packet_id: string } }>(["debug", "new", failed.id]).debug_packet.debug_packet_id;
  json(["debug", "hypothesis", packet, "the naive parser splits quoted commas"]);
  json(["debug", "experiment", packet, "--change", "PARSER=fixed", "--result", "passes", "--evidence", join(dir, "note.txt")]);
  json(["debug", "close", packet, "--decision", "quote-aware parsing", "--next", "make fixed the default", "--minutes", "5"]);
  json(["debug", "show", packet]);
  json(["debug", "list"]);
  return failed;
}

/** Gates that await approval (one approved, one rejected) and the watermarks they move, one overridden. */
function gatesAndWatermarks(): void {
  const epoch = join(EXAMPLES, "truth-epoch");
  json(["run", join(epoch, "ingest.yaml"), "--param", "SESSION=2024-03-26", "--next", "run the intelligence pipeline"]);
  json(["run", join(epoch, "intelligence.yaml"), "--param", "TARGET_TE=2024-03-26", "--param", "PROXY_SET=v1", "--next", "review"]);
  json(["gate", "status"]);
  json(["gate", "approve", "intelligence-gate", "--reason", "signals reviewed"]);
  json(["run", join(epoch, "ingest.yaml"), "--param", "SESSION=2024-03-28-spike", "--next", "review the drift"]);
  json(["gate", "reject", "ingestion-gate", "--reason", "the spike is a bad print"]);
  json(["watermark", "override", "us.ctt", "--to", "2024-03-27", "--justification", "bulletin confirmed", "--confirm"]);
  json(["watermark", "list"]);
  json(["watermark", "show", "us.ctt"]);
}

/** Admin actions, the operator lifecycle, monitors, modes and secrets. */
function administration(replayed: RunJson): void {
  json(["admin", "pause", "--pipeline", "effect", "--reason", "maintenance"]);
  json(["admin", "resume", "--pipeline", "effect", "--reason", "maintenance done"]);
  json(["admin", "drain", "--reason", "deploy"]);
  json(["admin", "resume", "--reason", "deployed"]);
  json(["admin", "retention", "--keep-work-runs", "2", "--reason", "disk budget"]);
  json(["admin", "replay", replayed.id, "--reason", "check determinism"]);
  json(["admin", "rebuild-read-models", "--reason", "check the rebuild"]);
  for (const step of ["register", "activate", "deprecate", "remove"])
    json(["operator", step, "contracts.check@1", "--reason", `${step} for the contract test`]);
  json(["operator", "list"]);
  json(["operator", "show", "market-batch.raw@0"]);
  json(["monitor", "run"]);
  json(["modes"]);
  json(["classify", "lead outreach"]);
  json(["secret", "set", "API_TOKEN", "--reason", "first key"], "s3cret-value-1\n");
  json(["secret", "rotate", "API_TOKEN", "--reason", "quarterly"], "s3cret-value-2\n");
  json(["secret", "list"]);
  json(["secret", "remove", "API_TOKEN", "--reason", "retired"]);
}

/** The first admin turns access control on; from then on every command presents the admin's token. */
function accessControl(): void {
  token = json<{ grant: { token: string } }>(["access", "grant", "human:tester", "--role", "admin", "--reason", "bootstrap"]).grant.token;
  json(["access", "grant", "human:ana", "--role", "viewer", "--reason", "read access"]);
  json(["access", "list"]);
  json(["access", "revoke", "human:ana", "--role", "viewer", "--reason", "left the team"]);
  json(["audit"]);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "runledger-contracts-cli-"));
  root = join(dir, "ws");
  expect(runledger(["init", root, "--json"], { cwd: dir }).code).toBe(0);
  json(["init", join(dir, "second")]);
  writeFileSync(join(dir, "note.txt"), "the parser splits quoted commas\n");
  // A command operator calls an effect in shadow and keeps what `runledger effect --json` printed.
  const effect = `"${process.execPath}" "${CLI}" effect slack.notify --payload '{"text":"hi"}' --json`;
  writeFileSync(
    join(root, "effect.yaml"),
    `pipeline: effect\nenforcement: shadow\ntasks:\n  call:\n    run: ${JSON.stringify(`${effect} > outputs/effect.json`)}\n    effects: [slack.notify]\n    outputs: [outputs/effect.json]\n    checks: [{ nonEmpty: outputs/effect.json }]\n`,
  );
  const first = batchRuns();
  const failed = manualTaskAndDebugPacket();
  gatesAndWatermarks();
  keepEffectOutput(runOf(["run", "effect.yaml"]));
  administration(first);
  json(["verify"]);
  json(["runs"]);
  json(["show", failed.id]);
  accessControl();
}, 240_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("COMMAND_OUTPUTS", () => {
  it("names a published schema for exactly the commands the CLI registers", () => {
    expect(Object.keys(COMMAND_OUTPUTS).sort()).toEqual(commandPaths().sort());
    for (const name of Object.values(COMMAND_OUTPUTS)) expect(CONTRACT_SCHEMAS).toHaveProperty(name);
  });
});

describe("every command's --json output is its published contract", () => {
  it("every command ran at least once, and succeeded", () => {
    expect([...outputs.keys()].sort()).toEqual(Object.keys(COMMAND_OUTPUTS).sort());
    for (const calls of outputs.values()) {
      for (const { args, result } of calls) expect(JSON.parse(result.stdout), `${args.join(" ")}: ${result.stdout}`).toMatchObject({ status: "success" });
    }
  });

  it.each(Object.keys(COMMAND_OUTPUTS) as CommandPath[])("%s parses as its schema, and its stderr as LogLines", (path) => {
    const calls = outputs.get(path) ?? [];
    expect(calls.length).toBeGreaterThan(0);
    for (const { args, result } of calls) {
      expect(issuesOf(commandOutputSchema(path), JSON.parse(result.stdout)), args.join(" ")).toEqual([]);
      const lines = result.stderr.split("\n").filter((line) => line !== "");
      for (const line of lines) expect(issuesOf(LogLineSchema, JSON.parse(line)), line).toEqual([]);
    }
  });

  const document = JSON.parse(readFileSync(resolve(import.meta.dirname, "..", CONTRACTS_SCHEMA_PATH), "utf8")) as Record<string, unknown>;
  it.each(Object.keys(COMMAND_OUTPUTS) as CommandPath[])("%s is valid against its definition in the published JSON Schema document", (path) => {
    const validator = z.fromJSONSchema({ ...document, $ref: `#/$defs/${COMMAND_OUTPUTS[path]}` } as Parameters<typeof z.fromJSONSchema>[0]);
    for (const { args, result } of outputs.get(path) ?? []) expect(issuesOf(validator, JSON.parse(result.stdout)), args.join(" ")).toEqual([]);
  });

  it("covers each shape of the records that vary: an explanation of each kind, each secret change, an override before and after", () => {
    const explained = (outputs.get("explain") ?? []).map(
      (c) => (JSON.parse(c.result.stdout) as { explain: { decision: string; previous_attempt?: string | null } }).explain,
    );
    expect(explained.map((e) => [e.decision, typeof e.previous_attempt])).toEqual([
      ["ran", "object"],
      ["reused", "undefined"],
      ["ran", "string"],
    ]);
    const secrets = (outputs.get("secret set") ?? []).concat(outputs.get("secret rotate") ?? [], outputs.get("secret remove") ?? []);
    expect(secrets.map((c) => (JSON.parse(c.result.stdout) as { secret: { state: string } }).secret.state)).toEqual(["set", "rotated", "removed"]);
    const missing = JSON.parse(outputs.get("debug missing")?.[0]?.result.stdout ?? "{}") as { missing: unknown[] };
    expect(missing.missing.length).toBeGreaterThan(0);
    const effect = JSON.parse(outputs.get("run")?.find((c) => c.args[1] === "effect.yaml")?.result.stdout ?? "{}") as { run: RunJson };
    expect(effect.run.status).toBe("succeeded");
  });
});

describe("a failing command's --json output is CommandError", () => {
  /** Runs a command expected to fail, with the admin's token unless told otherwise. */
  function failing(args: string[], withToken = true): { code: number; body: unknown; stderr: string[] } {
    const env = { CI: "", ...(withToken && token !== undefined ? { RUNLEDGER_TOKEN: token } : {}) };
    const result = runledger([...args, "--json"], { cwd: root, env });
    return { code: result.code, body: JSON.parse(result.stdout), stderr: result.stderr.split("\n").filter((l) => l !== "") };
  }

  it.each([
    ["a usage error found by the argument parser", ["run"], true, "ERR_USAGE", 2],
    ["an unknown run", ["show", "no-such-run"], true, "ERR_RUN_NOT_FOUND", 2],
    ["a command refused by access control", ["runs"], false, "ERR_FORBIDDEN", 2],
    ["an override without confirmation", ["watermark", "override", "us.ctt", "--to", "x"], true, "ERR_CONFIRM_REQUIRED", 2],
  ])("%s", (_what, args, withToken, code, exit) => {
    const failed = failing(args as string[], withToken as boolean);
    expect(failed.code).toBe(exit);
    expect(failed.body).toMatchObject({ status: "error", error: { code } });
    expect(issuesOf(CommandErrorSchema, failed.body)).toEqual([]);
    expect(failed.stderr.map((line) => issuesOf(LogLineSchema, JSON.parse(line)))).toEqual(failed.stderr.map(() => []));
    expect(failed.stderr.map((line) => JSON.parse(line) as { event: string }).at(-1)).toMatchObject({ level: "error", event: "command.fail", code });
  });

  it("an invalid pipeline lists every issue, each with a canon code", () => {
    writeFileSync(join(root, "invalid.yaml"), 'pipeline: invalid\ntasks:\n  a:\n    run: "true"\n    needs: [missing]\n    timeout: soon\n');
    const failed = failing(["run", "invalid.yaml"]);
    expect(issuesOf(CommandErrorSchema, failed.body)).toEqual([]);
    expect((failed.body as { error: { issues: unknown[] } }).error.issues).toHaveLength(3);
  });
});
