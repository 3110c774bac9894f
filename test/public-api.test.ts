import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { API_REPORT_PATH, renderApiReport } from "../scripts/api-report.js";
import { ERROR_CODES } from "../src/core/errors.js";
import { filesUnder } from "./support/files.js";
import { CLI } from "./support/cli.js";

/**
 * The package's public surface: the committed API report lists every exported name; `runledger`
 * loads without the optional peer dependency `pg`, `runledger/postgres` needs it, and a workspace
 * on PostgreSQL without it is a clear configuration error.
 */
const ROOT = resolve(import.meta.dirname, "..");
const WITHOUT_PG = join(ROOT, "test/fixtures/without-pg/register.mjs");
const temp = mkdtempSync(join(tmpdir(), "runledger-api-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** Runs an ES module script with `pg` unresolvable; the script imports the package by its name. */
function withoutPg(args: readonly string[], cwd = ROOT) {
  const result = spawnSync(process.execPath, ["--import", WITHOUT_PG, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, RUNLEDGER_ACTOR: "human:tester", RL_TEST_PG: "postgres://127.0.0.1:9/none" },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("public API", () => {
  it("api/runledger.api.txt lists every exported name of every entry point", () => {
    const committed = readFileSync(join(ROOT, API_REPORT_PATH), "utf8");
    expect(committed === renderApiReport(), `${API_REPORT_PATH} is stale: run \`npm run api\``).toBe(true);
  });

  it("the main entry point loads without pg, names decideGate, and leaves backends needing pg to runledger/postgres", () => {
    const script = `const api = await import("runledger");
      let postgres;
      try { await import("runledger/postgres"); postgres = "loaded"; } catch (error) { postgres = error.code; }
      const conformance = await import("runledger/conformance");
      console.log(JSON.stringify({ decideGate: typeof api.decideGate, runPipeline: typeof api.runPipeline, pgStore: "PostgresLedgerStore" in api, postgres, suites: [typeof conformance.runLedgerConformance, typeof conformance.runArtifactStoreConformance] }));`;
    const result = withoutPg(["--input-type=module", "-e", script]);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual({
      decideGate: "function",
      runPipeline: "function",
      pgStore: false,
      postgres: "ERR_MODULE_NOT_FOUND",
      suites: ["function", "function"],
    });
  });

  it("with pg installed, runledger/postgres exports the PostgreSQL backend", () => {
    const result = spawnSync(
      process.execPath,
      ["--input-type=module", "-e", `const m = await import("runledger/postgres"); console.log(typeof m.PostgresLedgerStore.open)`],
      { cwd: ROOT, encoding: "utf8" },
    );
    expect(result.stdout.trim()).toBe("function");
  });

  it("a workspace on PostgreSQL without pg installed is ERR_CONFIG saying what to install", () => {
    const root = join(temp, "pg-workspace");
    expect(spawnSync(process.execPath, [CLI, "init", root], { encoding: "utf8" }).status).toBe(0);
    writeFileSync(join(root, "runledger.json"), JSON.stringify({ name: "pg-workspace", ledger: { backend: "postgres", connectionStringEnv: "RL_TEST_PG" } }));
    const result = withoutPg([CLI, "runs", "--json"], root);
    expect(result.code).toBe(2);
    const error = JSON.parse(result.stdout) as { status: string; error: { code: string; message: string } };
    expect(error.error.code).toBe("ERR_CONFIG");
    expect(error.error.message).toContain("npm install pg");
  });

  it("ships no dead error code: every code of the canon is raised somewhere in src", () => {
    const sources = filesUnder(join(ROOT, "src"))
      .filter((file) => /\.(ts|mjs)$/.test(file) && !file.endsWith("core/errors.ts"))
      .map((file) => readFileSync(file, "utf8"))
      .join("\n");
    expect(ERROR_CODES.filter((code) => !new RegExp(`\\b${code}\\b`).test(sources))).toEqual([]);
  });
});
