import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initWorkspace, projectedState, runledger, writePipeline } from "./support/engine.js";

/**
 * The probe's cases against the outputs of a task, through the real CLI:
 * a link to /etc/passwd as an output, outputs/ replaced by a link to /usr, and a sparse 2 GB output.
 */
let dir: string;
let root: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "runledger-rel-outputs-"));
  root = initWorkspace(dir, "ws");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (args: string[]) => runledger(["-w", root, ...args], { cwd: dir });

/** The ledger's bytes on disk, its write-ahead log included. */
function ledgerBytes(): number {
  const db = join(root, ".runledger", "ledger.db");
  return [db, `${db}-wal`].reduce((sum, file) => sum + (statSync(file, { throwIfNoEntry: false })?.size ?? 0), 0);
}

/** Runs a one-task pipeline `name` and returns its task's last attempt as projected. */
async function runTask(name: string, run: string, output: string, extra = "") {
  const file = writePipeline(
    root,
    `${name}.yaml`,
    `pipeline: ${name}\n${extra}\ntasks:\n  t:\n    run: ${JSON.stringify(run)}\n    outputs: [${output}]\n    checks: [{ nonEmpty: ${output} }]\n`,
  );
  const result = cli(["run", join(root, file), "--no-cache", "--json"]);
  const state = await projectedState(root);
  const runId = Object.keys(state.runs).find((id) => state.runs[id]!.pipeline === name)!;
  return { result, attempt: state.attempts[state.runs[runId]!.tasks["t"]!.attempts.at(-1)!]! };
}

describe("security: outputs", () => {
  it("item 4: a link to /etc/passwd in outputs/ is refused before ingestion; `artifacts get` of its digest finds nothing", async () => {
    const { result, attempt } = await runTask("passwd", "ln -s /etc/passwd outputs/x", "outputs/x");
    expect(result.code).toBe(1);
    expect(attempt).toMatchObject({ status: "failed", error_code: "ERR_OUTPUT_SYMLINK" });
    const digest = `sha256:${createHash("sha256").update(readFileSync("/etc/passwd")).digest("hex")}`;
    const get = cli(["artifacts", "get", digest]);
    expect(get.code).not.toBe(0);
    expect(get.stdout).not.toContain("root:");
  });

  it("item 5: outputs/ replaced by a link to /usr is refused at once, with a short reason and a ledger that barely grows", async () => {
    const before = ledgerBytes();
    const started = Date.now();
    const { attempt } = await runTask("usr", "rmdir outputs && ln -s /usr outputs", "outputs/x");
    expect(attempt).toMatchObject({ status: "failed", error_code: "ERR_OUTPUT_SYMLINK" });
    expect(attempt.reason!.length).toBeLessThan(300);
    expect(attempt.reason).not.toMatch(/outputs\/(bin|lib|share)/);
    expect(ledgerBytes() - before).toBeLessThan(200_000);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it("item 16: a sparse 2 GB output is refused by its size under a 1 GiB default limit, and nothing of it is stored", async () => {
    const { attempt } = await runTask("sparse", "truncate -s 2G outputs/big.bin", "outputs/big.bin");
    expect(attempt).toMatchObject({ status: "failed", error_code: "ERR_OUTPUT_TOO_LARGE" });
    expect(attempt.reason).toContain("outputs/big.bin is 2,147,483,648 bytes, over the limit of 1,073,741,824");
    const state = await projectedState(root);
    expect(Object.values(state.artifacts).every((artifact) => artifact.size_bytes < 1024 ** 3)).toBe(true);
  });

  it("item 16: limits in runledger.json apply to every pipeline, and a pipeline's own limits win", async () => {
    const configFile = join(root, "runledger.json");
    const config = readFileSync(configFile, "utf8");
    writeFileSync(configFile, JSON.stringify({ ...(JSON.parse(config) as object), limits: { outputBytes: "1KiB" } }));
    try {
      const refused = await runTask("configured", "head -c 2000 /dev/zero > outputs/x.bin", "outputs/x.bin");
      expect(refused.attempt).toMatchObject({ status: "failed", error_code: "ERR_OUTPUT_TOO_LARGE" });
      const allowed = await runTask("raised", "head -c 2000 /dev/zero > outputs/x.bin", "outputs/x.bin", "limits: { outputBytes: 4KiB }");
      expect(allowed.attempt).toMatchObject({ status: "succeeded" });
    } finally {
      writeFileSync(configFile, config);
    }
  });

  it("kept: a declared output outside outputs/ is still refused when the pipeline loads", () => {
    const file = writePipeline(
      root,
      "outside.yaml",
      'pipeline: outside\ntasks:\n  t:\n    run: "echo x > outputs/../x"\n    outputs: [outputs/../x]\n    checks: [{ nonEmpty: outputs/../x }]\n',
    );
    const result = cli(["run", join(root, file), "--json"]);
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toContain("ERR_OUTPUT_OUTSIDE");
  });
});
