import { readdirSync, readFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runledger, runledgerAsync } from "./support/cli.js";

/**
 * What the hostile probe tried and found correct, kept so: YAML resource attacks, outputs outside
 * outputs/, and secrets that stay out of every process's arguments and out of every environment
 * but their own task's.
 */
const VALUE = "regression-secret-4c2b9e71";
let root: string;
const cli = (args: string[], input?: string) => runledger(args, { cwd: root, env: { CI: "false" }, ...(input !== undefined && { input }) });
const errorOf = (stdout: string) => (JSON.parse(stdout) as { error: { code: string; issues?: { code: string; message: string }[] } }).error;

beforeAll(() => {
  root = join(mkdtempSync(join(tmpdir(), "runledger-regress-")), "ws");
  expect(runledger(["init", root], { cwd: tmpdir() }).code).toBe(0);
  expect(cli(["secret", "set", "HELD", "--reason", "regression"], VALUE).code).toBe(0);
});
afterAll(() => rmSync(join(root, ".."), { recursive: true, force: true }));

describe("kept correct", () => {
  it("refuses a YAML alias bomb and deeply nested YAML with ERR_YAML, exit 2", () => {
    const anchors = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) anchors.push(`a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(",")}]`);
    writeFileSync(join(root, "bomb.yaml"), `pipeline: bomb\n${anchors.join("\n")}\ntasks: {}\n`);
    writeFileSync(join(root, "deep.yaml"), `pipeline: deep\ntasks: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`);
    for (const file of ["bomb.yaml", "deep.yaml"]) {
      const result = cli(["run", file, "--json"]);
      expect(result.code, file).toBe(2);
      expect(errorOf(result.stdout).issues?.[0]?.code, file).toBe("ERR_YAML");
    }
  });

  it("refuses outputs that leave outputs/ before anything runs", () => {
    writeFileSync(
      join(root, "escape.yaml"),
      `pipeline: escape\ntasks:\n  t:\n    run: "echo x > ../escaped"\n    outputs: [outputs/../../escaped]\n    checks: [{ nonEmpty: outputs/../../escaped }]\n`,
    );
    const result = cli(["run", "escape.yaml", "--json"]);
    expect(result.code).toBe(2);
    expect(JSON.stringify(errorOf(result.stdout))).toContain("ERR_OUTPUT_OUTSIDE");
    expect(readdirSync(root)).not.toContain("escaped");
  });

  it("a secret is in no process's arguments, and in no environment but its own task's", async () => {
    writeFileSync(
      join(root, "hold.yaml"),
      `pipeline: hold\ntasks:\n  hold:\n    run: "sleep 3; echo done > outputs/x"\n    outputs: [outputs/x]\n    checks: [{ nonEmpty: outputs/x }]\n    secrets: [HELD]\n`,
    );
    const running = runledgerAsync(["run", "hold.yaml"], { cwd: root, env: { CI: "false" } });
    const needle = Buffer.from(VALUE);
    let holders: { pid: string; environ: Buffer }[] = [];
    const inArgs: string[] = [];
    for (let tries = 0; tries < 100 && holders.length === 0; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      holders = [];
      for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
        const read = (what: string) => {
          try {
            return readFileSync(`/proc/${pid}/${what}`);
          } catch {
            return Buffer.alloc(0);
          }
        };
        if (read("cmdline").includes(needle)) inArgs.push(pid);
        const environ = read("environ");
        if (environ.includes(needle)) holders.push({ pid, environ });
      }
    }
    expect((await running).code).toBe(0);
    expect(inArgs).toEqual([]);
    // Found while the task ran: each process holding the value is the task's (or its sandbox's).
    expect(holders.length).toBeGreaterThan(0);
    for (const holder of holders)
      expect(Buffer.concat([Buffer.from("\0"), holder.environ]).includes(Buffer.from("\0RUNLEDGER_TASK=hold\0")), holder.pid).toBe(true);
  });
});
