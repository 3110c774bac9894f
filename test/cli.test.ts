import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CommandEnvelopeSchema } from "../src/contracts/envelope.js";
import { ERROR_CANON } from "../src/core/errors.js";
import { openWorkspace } from "../src/workspace/workspace.js";
import { CLI, runledger } from "./support/cli.js";

let dir: string;
beforeAll(() => {
  if (!existsSync(CLI)) throw new Error("dist/ is missing: run `npm run build` first (npm test does)");
  dir = mkdtempSync(join(tmpdir(), "runledger-cli-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const envelopeOf = (stdout: string) => {
  const lines = stdout.trim().split("\n");
  expect(lines).toHaveLength(1);
  return CommandEnvelopeSchema.parse(JSON.parse(lines[0]!));
};
const fragment = (code: keyof typeof ERROR_CANON) => ERROR_CANON[code].fragment;

/** A fresh workspace with one stored, ledger-recorded artifact. */
async function workspaceWithArtifact(name: string): Promise<{ root: string; digest: string; blob: string }> {
  const root = join(dir, name);
  expect(runledger(["init", root], { cwd: dir }).code).toBe(0);
  const ws = await openWorkspace(root);
  const stored = await ws.artifacts.put("seq 1 100\n");
  await ws.ledger.append([
    {
      type: "artifact.stored",
      project: "default",
      actor: { kind: "service", id: "test" },
      data: { digest: stored.digest, size_bytes: stored.size_bytes, name: "outputs/numbers.txt" },
    },
  ]);
  await ws.close();
  const hex = stored.digest.slice("sha256:".length);
  return { root, digest: stored.digest, blob: join(root, ".runledger/artifacts/sha256", hex.slice(0, 2), hex.slice(2)) };
}

describe("runledger CLI", () => {
  it("prints its version and help", () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, "../package.json"), "utf8")) as { version: string };
    expect(runledger(["--version"], { cwd: dir })).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    const help = runledger(["--help"], { cwd: dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/init \[dir\]/);
    expect(help.stdout).toMatch(/verify/);
  });

  it("starts without loading the parsers few commands need (yaml, csv-parse, filtrex, ajv)", () => {
    // A module-resolution hook reports, synchronously on stderr, every module the CLI imports.
    const hooks = `data:text/javascript,${encodeURIComponent('import { writeSync } from "node:fs"; export async function resolve(specifier, context, next) { const resolved = await next(specifier, context); writeSync(2, `resolved ${resolved.url}\\n`); return resolved; }')}`;
    const register = `data:text/javascript,${encodeURIComponent(`import { register } from "node:module"; register(${JSON.stringify(hooks)});`)}`;
    const started = spawnSync(process.execPath, ["--import", register, CLI, "--version"], { cwd: dir, encoding: "utf8" });
    expect(started.status).toBe(0);
    const resolved = started.stderr.split("\n").filter((line) => line.startsWith("resolved "));
    // The hook saw the CLI's own modules, and none of the parsers.
    expect(resolved.filter((line) => line.includes("/dist/cli/")).length).toBeGreaterThan(10);
    expect(resolved.filter((line) => /node_modules\/(yaml|csv-parse|filtrex|ajv)\//.test(line))).toEqual([]);
  });

  it("init creates a workspace with its state folder and an example pipeline, once", () => {
    const root = join(dir, "fresh");
    const first = runledger(["init", root, "--json"], { cwd: dir });
    expect(first.code).toBe(0);
    expect(envelopeOf(first.stdout)).toMatchObject({ status: "success", workspace: { root, project: "default", head: { seq: 1 } } });
    for (const path of ["runledger.json", ".runledger/ledger.db", ".runledger/artifacts", "pipelines/hello.yaml"])
      expect(existsSync(join(root, path))).toBe(true);
    const again = runledger(["init", root], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("ERR_WORKSPACE_EXISTS");
    expect(again.stderr).toContain(fragment("ERR_WORKSPACE_EXISTS"));
  });

  it("verify passes an intact workspace; with --json stdout holds only the envelope and logs go to stderr", async () => {
    const { root, digest } = await workspaceWithArtifact("intact");
    const human = runledger(["verify"], { cwd: root });
    expect(human.code).toBe(0);
    expect(human.stdout).toContain("ledger intact: 2 events");
    const json = runledger(["verify", "--json"], { cwd: root });
    expect(json.code).toBe(0);
    expect(envelopeOf(json.stdout)).toMatchObject({ status: "success", verify: { events: 2, artifacts: 1, referenced: 1 } });
    const logs = json.stderr
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { event: string });
    expect(logs.map((l) => l.event)).toEqual(["verify.start", "verify.settle"]);
    expect(digest).toMatch(/^sha256:/);
  });

  it("verify fails with ERR_LEDGER_TAMPERED naming the first bad event", async () => {
    const { root } = await workspaceWithArtifact("tampered");
    const db = new Database(join(root, ".runledger/ledger.db"));
    db.exec("DROP TRIGGER events_append_only_update");
    db.prepare("UPDATE events SET body = replace(body, 'outputs/numbers.txt', 'outputs/forged.txt') WHERE seq = 2").run();
    db.close();
    const result = runledger(["verify", "--json"], { cwd: root });
    expect(result.code).toBe(1);
    const envelope = envelopeOf(result.stdout);
    expect(envelope).toMatchObject({ status: "error", error: { code: "ERR_LEDGER_TAMPERED" } });
    expect(envelope.status === "error" && envelope.error.message).toContain(`${fragment("ERR_LEDGER_TAMPERED")}: event 2`);
  });

  it("verify fails with ERR_ARTIFACT_CORRUPT naming the blob whose bytes changed", async () => {
    const { root, digest, blob } = await workspaceWithArtifact("corrupt");
    chmodSync(blob, 0o644);
    writeFileSync(blob, "seq 1 101\n");
    const result = runledger(["verify"], { cwd: root });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(fragment("ERR_ARTIFACT_CORRUPT"));
    expect(result.stderr).toContain(digest);
    expect(result.stderr).toContain("code: ERR_ARTIFACT_CORRUPT");
  });

  it("verify fails with ERR_ARTIFACT_MISSING when a blob the ledger names is gone", async () => {
    const { root, digest, blob } = await workspaceWithArtifact("missing");
    rmSync(blob);
    const result = runledger(["verify", "--json"], { cwd: root });
    expect(result.code).toBe(1);
    expect(envelopeOf(result.stdout)).toMatchObject({ status: "error", error: { code: "ERR_ARTIFACT_MISSING", message: expect.stringContaining(digest) } });
  });

  it("exits 2 with ERR_USAGE, ERR_CONFIG or ERR_WORKSPACE_NOT_FOUND on bad usage or input", () => {
    const unknown = runledger(["frobnicate", "--json"], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(envelopeOf(unknown.stdout)).toMatchObject({
      status: "error",
      error: { code: "ERR_USAGE", message: expect.stringContaining("unknown command 'frobnicate'") },
    });
    expect(runledger([], { cwd: dir }).code).toBe(2);
    expect(runledger(["verify", "--actor", "robot:x"], { cwd: dir }).code).toBe(2);

    const nowhere = mkdtempSync(join(tmpdir(), "runledger-nowhere-"));
    const missing = runledger(["verify"], { cwd: nowhere });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("ERR_WORKSPACE_NOT_FOUND");

    writeFileSync(join(nowhere, "runledger.json"), JSON.stringify({ name: "x", ledger: { backend: "oracle" }, colour: "red" }));
    const bad = runledger(["verify", "--json"], { cwd: nowhere });
    expect(bad.code).toBe(2);
    expect(envelopeOf(bad.stdout)).toMatchObject({ status: "error", error: { code: "ERR_CONFIG", message: expect.stringContaining(fragment("ERR_CONFIG")) } });
    rmSync(nowhere, { recursive: true, force: true });
  });

  it("run executes a pipeline: --json returns the run; exit 0 on PASS, 1 on FAIL; show and runs read it back", async () => {
    const root = join(dir, "runs");
    expect(runledger(["init", root], { cwd: dir }).code).toBe(0);
    const result = runledger(["run", "pipelines/hello.yaml", "--json", "--as-of", "2026-01-02T00:00:00Z"], { cwd: root });
    expect(result.code).toBe(0);
    const envelope = envelopeOf(result.stdout) as unknown as {
      run: { id: string; tasks: { name: string; outcome: string; checks: unknown[]; attempts: { status: string; receipt_digest: string }[] }[] };
    };
    expect(envelope).toMatchObject({
      status: "success",
      run: { pipeline: "hello", project: "default", status: "succeeded", result: "PASS", as_of: "2026-01-02T00:00:00.000Z" },
    });
    expect(envelope.run.tasks.map((t) => [t.name, t.outcome])).toEqual([
      ["numbers", "SUCCESS"],
      ["total", "SUCCESS"],
    ]);
    expect(envelope.run.tasks[1]!.attempts[0]!.receipt_digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(
      result.stderr
        .trim()
        .split("\n")
        .map((l) => (JSON.parse(l) as { event: string }).event),
    ).toEqual(["run.start", "run.settle"]);

    const shown = runledger(["show", envelope.run.id.slice(0, 8), "--json"], { cwd: root });
    expect(shown.code).toBe(0);
    expect((envelopeOf(shown.stdout) as unknown as { run: unknown }).run).toEqual(envelope.run);
    const listed = envelopeOf(runledger(["runs", "--json"], { cwd: root }).stdout) as unknown as { runs: { id: string }[] };
    expect(listed.runs.map((r) => r.id)).toEqual([envelope.run.id]);
    expect(runledger(["show", "nope", "--json"], { cwd: root }).code).toBe(2);

    writeFileSync(
      join(root, "pipelines/fails.yaml"),
      "pipeline: fails\ntasks:\n  t:\n    run: 'exit 1'\n    outputs: [outputs/x]\n    checks: [{ nonEmpty: outputs/x }]\n",
    );
    const failed = runledger(["run", "pipelines/fails.yaml"], { cwd: root });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain("FAILED");
  });

  it("run refuses an invalid pipeline with every issue, exit 2", () => {
    const root = join(dir, "invalid");
    expect(runledger(["init", root], { cwd: dir }).code).toBe(0);
    writeFileSync(
      join(root, "bad.yaml"),
      "pipeline: bad\ntasks:\n  a:\n    needs: [ghost]\n    run: 'true'\n    outputs: [../escape]\n    checks: [{ nonEmpty: outputs/x }]\n",
    );
    const result = runledger(["run", "bad.yaml", "--json"], { cwd: root });
    expect(result.code).toBe(2);
    const envelope = envelopeOf(result.stdout);
    expect(envelope).toMatchObject({ status: "error", error: { code: "ERR_VALIDATION" } });
    const codes = envelope.status === "error" ? (envelope.error.issues ?? []).map((i) => i.code) : [];
    expect(codes).toEqual(expect.arrayContaining(["ERR_UNKNOWN_NEEDS", "ERR_OUTPUT_OUTSIDE"]));
  });

  it("receipt, artifacts get and explain read back what a run recorded", async () => {
    const root = join(dir, "explain");
    expect(runledger(["init", root], { cwd: dir }).code).toBe(0);
    const runOf = (stdout: string) =>
      (envelopeOf(stdout) as unknown as { run: { id: string; tasks: { name: string; attempts: { id: string; status: string }[] }[] } }).run;
    const first = runOf(runledger(["run", "pipelines/hello.yaml", "--json"], { cwd: root }).stdout);
    const total = first.tasks.find((t) => t.name === "total")!.attempts[0]!.id;

    const receipt = envelopeOf(runledger(["receipt", total, "--json"], { cwd: root }).stdout) as unknown as {
      receipt: { outputs_index: { digest: string }[]; inputs: unknown[] };
    };
    expect(receipt.receipt.inputs).toHaveLength(1);
    const digest = receipt.receipt.outputs_index[0]!.digest;
    expect(runledger(["artifacts", "get", digest], { cwd: root }).stdout).toBe("5050\n");
    runledger(["artifacts", "get", digest, "-o", "total.txt"], { cwd: root });
    expect(readFileSync(join(root, "total.txt"), "utf8")).toBe("5050\n");

    expect(runledger(["explain", first.id, "total"], { cwd: root }).stdout).toContain("no earlier passed attempt");
    const second = runOf(runledger(["run", "pipelines/hello.yaml", "--json"], { cwd: root }).stdout);
    expect(runledger(["explain", second.id, "total"], { cwd: root }).stdout).toContain("total was reused");

    const yaml = readFileSync(join(root, "pipelines/hello.yaml"), "utf8");
    writeFileSync(join(root, "pipelines/hello.yaml"), yaml.replace("seq 1 100", "seq 1 10"));
    const third = runOf(runledger(["run", "pipelines/hello.yaml", "--json"], { cwd: root }).stdout);
    const explained = envelopeOf(runledger(["explain", third.id, "total", "--json"], { cwd: root }).stdout) as unknown as {
      explain: { decision: string; changes: { field: string }[] };
    };
    expect(explained.explain.decision).toBe("ran");
    expect(explained.explain.changes.map((c) => c.field)).toEqual(["inputs.numbers/outputs/numbers.txt"]);
    const numbers = envelopeOf(runledger(["explain", third.id, "numbers", "--json"], { cwd: root }).stdout) as unknown as {
      explain: { changes: { field: string }[] };
    };
    expect(numbers.explain.changes.map((c) => c.field)).toContain("code_digest");
  });
});
