import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../src/cli/program.js";
import { initWorkspace, projectedState, runledger } from "./support/engine.js";
import { reportFigures } from "./support/figures.js";
import { Prng } from "./support/prng.js";
import { FULL, SEED } from "./support/scale.js";

let dir: string;
let root: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "runledger-rel-security-cli-"));
  root = initWorkspace(dir, "ws");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runledger(["-w", root, ...args], { cwd: root, env });
const errorOf = (stdout: string) => (JSON.parse(stdout.trim().split("\n").at(-1) as string) as { error?: { code: string; message: string } }).error;

/** A character a terminal acts on, other than the newlines that end lines. */
const isTerminalControl = (code: number) =>
  (code < 0x20 && code !== 0x0a) ||
  (code >= 0x7f && code <= 0x9f) ||
  code === 0x2028 ||
  code === 0x2029 ||
  (code >= 0x202a && code <= 0x202e) ||
  (code >= 0x2066 && code <= 0x2069) ||
  code === 0x200e ||
  code === 0x200f ||
  code === 0x061c;
const rawControls = (text: string) => [...text].filter((c) => isTerminalControl(c.codePointAt(0) as number));

/** Runs the CLI in this process (the fuzz suite's way), for the many calls of the random cases. */
async function inProcess(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const sink = (write: (s: string) => void) => new Writable({ write: (chunk: Buffer, _enc, done) => (write(chunk.toString()), done()) });
  const code = await runCli(["-w", root, ...argv], {
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
    env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", RUNLEDGER_ACTOR: "human:prober" },
    cwd: root,
  });
  return { code, stdout, stderr };
}

describe("security: the CLI's front door", () => {
  it("a missing pipeline file is ERR_FILE_NOT_FOUND, exit 2, never ERR_INTERNAL", () => {
    for (const file of ["nope.yaml", "nope.yml", "nope.mjs", "gone/nope.js"]) {
      const result = cli(["run", file, "--json"]);
      expect(result.code, file).toBe(2);
      expect(errorOf(result.stdout), file).toMatchObject({ code: "ERR_FILE_NOT_FOUND", message: expect.stringContaining(join(root, file)) });
    }
  });

  it("lenient times are refused: --as-of takes strict ISO-8601 only", () => {
    const refused = [
      "0",
      "-1",
      "1 2",
      "2026-13-01",
      "2026-02-30T12:00:00Z",
      "2026-02-29",
      "1e9",
      "Tue Jan 06 2026",
      "2026-01-06T10:00:00",
      "+002026-01-06T00:00:00Z",
    ];
    for (const value of refused) {
      const result = cli(["run", "pipelines/hello.yaml", "--as-of", value, "--json"]);
      expect(result.code, value).toBe(2);
      expect(errorOf(result.stdout), value).toMatchObject({ code: "ERR_USAGE", message: expect.stringContaining("--as-of") });
    }
    reportFigures("security-cli.as-of", { refused: refused.length });
  });

  it("--actor without a kind, and an actor or task name with an escape sequence, are refused, shown escaped and never recorded", async () => {
    const before = Object.keys((await projectedState(root)).runs).length;
    expect(errorOf(cli(["--actor", "bad", "run", "pipelines/hello.yaml", "--json"]).stdout)?.code).toBe("ERR_ACTOR_INVALID");
    expect(errorOf(cli(["run", "pipelines/hello.yaml", "--json"], { RUNLEDGER_ACTOR: "bad" }).stdout)?.code).toBe("ERR_ACTOR_INVALID");
    const actor = cli(["--actor", "human:eve\u001b[2J\u001b[H\u202e", "run", "pipelines/hello.yaml"]);
    expect(actor.code).toBe(2);
    expect(actor.stderr).toContain("ERR_ACTOR_INVALID");
    expect(rawControls(actor.stderr)).toEqual([]);
    writeFileSync(
      join(root, "evil.yaml"),
      'pipeline: evil\nmode: PIPELINE\ntasks:\n  "t\\e]0;owned\\a\\e[2J":\n    run: ["true"]\n    outputs: [outputs/x]\n    checks: [{ nonEmpty: outputs/x }]\n',
    );
    const task = cli(["run", "evil.yaml"]);
    expect(task.code).toBe(2);
    expect(task.stderr).toContain("ERR_VALIDATION");
    expect(rawControls(task.stderr)).toEqual([]);
    expect(Object.keys((await projectedState(root)).runs)).toHaveLength(before);
  });

  it("--token on the command line warns that other users can read it", () => {
    const human = cli(["--token", "rl_not_a_real_token", "runs"]);
    expect(human.code).toBe(0);
    expect(human.stderr).toContain("warning: --token on the command line is visible to other users");
    const json = cli(["--token", "rl_not_a_real_token", "runs", "--json"]);
    expect(
      json.stderr
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { level: string; event: string }),
    ).toContainEqual(expect.objectContaining({ level: "warn", event: "token.argv" }));
  });

  it("random text with control characters in next pointers and reasons reaches the terminal escaped, and the ledger exactly", async () => {
    const prng = new Prng(SEED);
    const cases = FULL ? 200 : 25;
    const alphabet = [
      "a",
      "Z",
      " ",
      "\u001b",
      "[",
      "2J",
      "]0;",
      "\u0007",
      "\r",
      "\n",
      "\t",
      "\b",
      "\u007f",
      "\u009b",
      "\u0085",
      "\u202e",
      "\u2066",
      "\u2028",
      "é",
      "\\",
    ];
    const run = JSON.parse(cli(["run", "pipelines/hello.yaml", "--json"]).stdout) as { run: { id: string } };
    let escaped = 0;
    for (let i = 0; i < cases; i++) {
      const text = `x${Array.from({ length: prng.int(1, 12) }, () => prng.pick(alphabet)).join("")}`;
      const reason = await inProcess(["admin", "pause", "--reason", text]);
      expect(reason.code, JSON.stringify(text)).toBe(0);
      expect((await inProcess(["admin", "resume", "--reason", "r"])).code).toBe(0);
      const audit = await inProcess(["audit", "--action", "pause"]);
      expect(rawControls(audit.stdout), JSON.stringify(text)).toEqual([]);
      // One line per admin event, however many newlines the reasons held.
      expect(audit.stdout.trim().split("\n"), JSON.stringify(text)).toHaveLength(i + 1);
      if (text.includes("\n")) continue; // a next pointer is one line; that rule is tested elsewhere
      expect((await inProcess(["next", run.run.id, text])).code, JSON.stringify(text)).toBe(0);
      const shown = await inProcess(["show", run.run.id]);
      expect(rawControls(shown.stdout), JSON.stringify(text)).toEqual([]);
      const recorded = JSON.parse((await inProcess(["show", run.run.id, "--json"])).stdout) as { run: { next: string } };
      expect(recorded.run.next).toBe(text.trim());
      escaped++;
    }
    reportFigures("security-cli.escaping", { cases, next_pointers: escaped });
  });
});
