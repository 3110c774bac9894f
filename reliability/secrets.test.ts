import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, initWorkspace, runledger } from "./support/engine.js";
import { reportFigures } from "./support/figures.js";
import { Prng } from "./support/prng.js";
import { SEED } from "./support/scale.js";

const FIXTURES = resolve(import.meta.dirname, "fixtures");
let dir: string;
let root: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "runledger-rel-secrets-"));
  root = initWorkspace(dir, "ws");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every regular file under `path`, recursively. */
function files(path: string): string[] {
  return readdirSync(path, { withFileTypes: true }).flatMap((entry) => {
    const full = join(path, entry.name);
    return entry.isDirectory() ? files(full) : entry.isFile() ? [full] : [];
  });
}

describe("secrets: a canary used throughout never appears in anything written", () => {
  it("scans the ledger, every artifact, the work folder and every CLI output for the canary", () => {
    const prng = new Prng(SEED);
    const canary = `rl-canary-${SEED.toString(16)}-${Math.floor(prng.next() * 2 ** 48).toString(36)}`;
    // CI=false: these runs are real and declare secrets, which CI=true rightly refuses (ERR_CI_SAFETY).
    const env = { CI: "false" };
    const outputs: { args: string[]; stdout: string; stderr: string }[] = [];
    const cli = (args: string[], input?: string) => {
      const r = runledger(["-w", root, ...args], { cwd: dir, env, ...(input === undefined ? {} : { input }) });
      outputs.push({ args, stdout: r.stdout, stderr: r.stderr });
      return r;
    };
    expect(cli(["secret", "set", "CANARY", "--reason", "canary for the leak scan"], `${canary}\n`).code).toBe(0);
    const rlcli = `${process.execPath} ${CLI}`;
    const commands = cli([
      "run",
      join(FIXTURES, "canary-commands.yaml"),
      "--param",
      `RLCLI=${rlcli}`,
      "--enforcement",
      "shadow",
      "--concurrency",
      "1",
      "--next",
      "review the leak scan",
      "--json",
    ]);
    expect(commands.code).toBe(1); // `dies` fails on purpose, with the canary in its error output
    const functions = cli(["run", join(FIXTURES, "canary.mjs"), "--enforcement", "shadow", "--next", "review the leak scan", "--json"]);
    expect(functions.code).toBe(1);
    const runs = [commands, functions].map(
      (r) => JSON.parse(r.stdout) as { run: { id: string; tasks: { name: string; attempts: { id: string; receipt_digest: string | null }[] }[] } },
    );
    // The secret reached the operators: the effect calls were made with it (their recorded payloads are masked).
    const handled = runs[1]!.run.tasks.find((t) => t.name === "handles")!;
    expect(cli(["explain", runs[1]!.run.id, "handles", "--json"]).stdout).toContain('"effect":"http.post"');
    for (const run of runs) {
      cli(["show", run.run.id, "--json"]);
      cli(["show", run.run.id]);
      for (const task of run.run.tasks) for (const attempt of task.attempts) cli(["receipt", attempt.id, "--json"]);
    }
    expect(handled.attempts).toHaveLength(1);
    cli(["secret", "rotate", "CANARY", "--reason", "rotation drill"], `${canary}-v2\n`);
    cli(["audit", "--json"]);
    cli(["secret", "list", "--json"]);
    cli(["verify"]);

    const scanned = files(root).filter((f) => !relative(root, f).startsWith(join(".runledger", "secrets")));
    let bytes = 0;
    const leaks: string[] = [];
    for (const file of scanned) {
      const content = readFileSync(file);
      bytes += statSync(file).size;
      if (content.includes(canary)) leaks.push(relative(root, file));
    }
    for (const o of outputs) {
      bytes += o.stdout.length + o.stderr.length;
      if (o.stdout.includes(canary) || o.stderr.includes(canary)) leaks.push(`cli ${o.args.slice(0, 2).join(" ")}`);
    }
    reportFigures("secrets", { files_scanned: scanned.length, cli_outputs_scanned: outputs.length, bytes_scanned: bytes, leaks: leaks.length });
    expect(scanned.length).toBeGreaterThan(20);
    expect(leaks).toEqual([]);
  });
});
