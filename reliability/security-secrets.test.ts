import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodedForms } from "../src/secrets/redact.js";
import { filesHolding, filesUnder } from "../test/support/files.js";
import { initWorkspace, runledger, writePipeline } from "./support/engine.js";

/**
 * The hostile probe's secret cases: a value that reaches a file name, its encoded forms, the
 * state's file modes seen by another local user, a killed `secret set`, and values too short to mask.
 */
const VALUE = "probe-canary-5e1f0c9a";
let dir: string;
let root: string;
const env = { CI: "false" };
const cli = (args: string[], input?: string) => runledger(["-w", root, ...args], { cwd: dir, env, ...(input === undefined ? {} : { input }) });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "runledger-rel-probe-secrets-"));
  chmodSync(dir, 0o755);
  root = initWorkspace(dir, "ws");
  expect(cli(["secret", "set", "TOKEN_A", "--reason", "probe"], VALUE).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("probe: secrets", () => {
  it("a value written as an undeclared output's name, and printed encoded, is in no event, blob or CLI output", () => {
    writePipeline(
      root,
      "leak.yaml",
      `pipeline: leak
tasks:
  write:
    run: |
      printf x > "outputs/$TOKEN_A"
      printf '%s' "$TOKEN_A" | base64; printf '%s' "$TOKEN_A" | od -An -tx1 | tr -d ' \\n'
    outputs: [outputs/ok.txt]
    checks: [{ nonEmpty: outputs/ok.txt }]
    secrets: [TOKEN_A]
`,
    );
    const run = cli(["run", join(root, "leak.yaml"), "--json"]);
    expect(run.code).toBe(1);
    const id = (JSON.parse(run.stdout) as { run: { id: string } }).run.id;
    const printed = [run, cli(["show", id, "--json"]), cli(["show", id]), cli(["operator", "list"]), cli(["monitor", "run"]), cli(["audit"]), cli(["runs"])];
    const needles = [VALUE, ...encodedForms(VALUE)];
    for (const output of printed) for (const needle of needles) expect(output.stdout + output.stderr).not.toContain(needle);
    expect(filesHolding(join(root, ".runledger"), ...needles).filter((file) => !file.includes("/work/"))).toEqual([]);
  });

  it.skipIf(process.getuid?.() !== 0)("another local user reads neither the ledger, a blob, nor an attempt's log", () => {
    const state = join(root, ".runledger");
    const targets = [join(state, "ledger.db"), filesUnder(join(state, "artifacts/sha256"))[0] as string, ...filesUnder(join(state, "work")).slice(0, 1)];
    for (const file of targets) {
      const read = spawnSync("runuser", ["-u", "nobody", "--", "cat", file], { encoding: "utf8" });
      expect(read.status, file).not.toBe(0);
    }
  });

  it("a temporary file left by a killed `secret set` is gone at the next read of the store", () => {
    const dead = spawnSync("true").pid as number;
    const orphan = join(root, ".runledger/secrets", `.TOKEN_A.${dead}.feedfacecafe.tmp`);
    writeFileSync(orphan, JSON.stringify({ value: "orphaned-value-01" }), { mode: 0o600 });
    expect(cli(["secret", "list"]).code).toBe(0);
    expect(existsSync(orphan)).toBe(false);
  });

  it("refuses values of 1 to 7 characters", () => {
    for (const value of ["x", "1234567"]) {
      const set = cli(["secret", "set", "TINY", "--reason", "probe", "--json"], value);
      expect(set.code).toBe(2);
      expect(set.stdout).toContain("ERR_SECRET_TOO_SHORT");
    }
  });
});
