import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initWorkspace, processesWithEnv, runledger, sleep, writePipeline } from "./support/engine.js";
import { reportFigures } from "./support/figures.js";
import { Prng } from "./support/prng.js";
import { SEED } from "./support/scale.js";
import { filesHolding } from "../test/support/files.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "runledger-rel-sandbox-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The run id of a `run --json`'s output. */
function runIdOf(stdout: string): string {
  return (JSON.parse(stdout) as { run: { id: string } }).run.id;
}

describe("security: the command sandbox", () => {
  it("a task that declares no secrets reads none: cat ../../../secrets/TOKEN_B.json finds nothing, and the value is nowhere", () => {
    const prng = new Prng(SEED ^ 0x5ec2);
    const canary = `canary-${prng.int(1e8, 1e9 - 1)}-${prng.int(1e8, 1e9 - 1)}`;
    const root = initWorkspace(dir, "secret-read");
    expect(runledger(["secret", "set", "TOKEN_B", "--reason", "probe"], { cwd: root, input: canary }).code).toBe(0);
    writePipeline(
      root,
      "p.yaml",
      [
        "pipeline: reader",
        "tasks:",
        "  reader:",
        `    run: 'cat ../../../secrets/TOKEN_B.json; cat ../../../secrets/*; cat "$RUNLEDGER_PIPELINE_DIR/.runledger/secrets/TOKEN_B.json"; echo read > outputs/o.txt'`,
        "    outputs: [outputs/o.txt]",
        "    checks: [{ nonEmpty: outputs/o.txt }]",
        "",
      ].join("\n"),
    );
    const run = runledger(["run", "p.yaml", "--json"], { cwd: root });
    expect(run.code, run.stderr).toBe(0);
    const id = runIdOf(run.stdout);
    const shown = runledger(["show", id, "--json"], { cwd: root });
    const leaks = filesHolding(root, canary);
    const cliLeaks = [run.stdout, run.stderr, shown.stdout, shown.stderr].filter((text) => text.includes(canary)).length;
    reportFigures("security.sandbox.secret-read", { files_holding_secret: leaks.length, cli_outputs_holding_secret: cliLeaks });
    expect(leaks, "files holding the secret's value").toEqual([]);
    expect(cliLeaks).toBe(0);
  });

  it("env -u RUNLEDGER_ATTEMPT_ID setsid sleep 301 & exit 0: the run passes and no sleep 301 outlives it", async () => {
    const root = initWorkspace(dir, "setsid");
    writePipeline(
      root,
      "p.yaml",
      [
        "pipeline: escapee",
        "tasks:",
        "  escapee:",
        // The pause lets the escapee leave its group before the command exits, as a slower command's would.
        "    run: 'env -u RUNLEDGER_ATTEMPT_ID setsid sleep 301 & sleep 0.5; echo started > outputs/o.txt; exit 0'",
        "    outputs: [outputs/o.txt]",
        "    checks: [{ nonEmpty: outputs/o.txt }]",
        "",
      ].join("\n"),
    );
    const run = runledger(["run", "p.yaml", "--json"], { cwd: root });
    expect(run.code, run.stderr).toBe(0);
    const id = runIdOf(run.stdout);
    // The escapee dropped its attempt id but still carries the run's id; give a killed one a moment to go.
    let left = processesWithEnv("RUNLEDGER_RUN_ID", id);
    for (let i = 0; i < 20 && left.length > 0; i++) {
      await sleep(50);
      left = processesWithEnv("RUNLEDGER_RUN_ID", id);
    }
    for (const pid of left) process.kill(pid, "SIGKILL");
    reportFigures("security.sandbox.setsid", { survivors: left.length });
    expect(left, "processes of the run still alive").toEqual([]);
  });
});
