import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMAND_ROLES } from "../src/cli/command-roles.js";
import { runCli } from "../src/cli/program.js";
import { commandOutputSchema } from "../src/contracts/command-outputs.js";
import { READ_MODEL_VERSION } from "../src/ledger/read-models/read-model-version.js";

let dir: string;
let root: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "runledger-rm-cli-"));
  root = join(dir, "ws");
  expect((await cli(["init", root], { tty: false })).code).toBe(0);
  expect((await cli(["run", "pipelines/hello.yaml"], { tty: false })).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI in this process with stderr posing as a terminal, or not. */
async function cli(args: string[], options: { tty: boolean }) {
  const stdout = new PassThrough();
  const stderr = Object.assign(new PassThrough(), { isTTY: options.tty });
  const out: string[] = [];
  const err: string[] = [];
  stdout.on("data", (c: Buffer) => out.push(c.toString()));
  stderr.on("data", (c: Buffer) => err.push(c.toString()));
  const code = await runCli(args, { stdout, stderr, env: { ...process.env, RUNLEDGER_ACTOR: "human:tester" }, cwd: root });
  return { code, stdout: out.join(""), stderr: err.join("") };
}

function head(): number {
  const db = new Database(join(root, ".runledger", "ledger.db"), { readonly: true });
  try {
    return db.prepare<[], number>("SELECT seq FROM ledger_head WHERE id = 1").pluck(true).get() ?? 0;
  } finally {
    db.close();
  }
}

function setStoredVersion(version: string): void {
  const db = new Database(join(root, ".runledger", "ledger.db"));
  try {
    db.prepare("UPDATE rm_meta SET value = ? WHERE name = 'version'").run(version);
  } finally {
    db.close();
  }
}

const PROGRESS = /\rrebuilding read models: [\d,]+ \/ [\d,]+ events\n/;

describe("admin rebuild-read-models", () => {
  it("is an admin action", () => {
    expect(COMMAND_ROLES["admin rebuild-read-models"]).toBe("admin");
  });

  it("rebuilds, prints what it did, and records a read_models_rebuild admin event with the version and seq before and after", async () => {
    const events = head();
    const result = await cli(["admin", "rebuild-read-models", "--reason", "check", "--json"], { tty: false });
    expect(result.code, result.stderr).toBe(0);
    const output = commandOutputSchema("admin rebuild-read-models").parse(JSON.parse(result.stdout));
    expect(output.read_models).toMatchObject({
      before: { version: READ_MODEL_VERSION, seq: events },
      after: { version: READ_MODEL_VERSION, seq: events },
      events,
    });
    const audit = await cli(["audit", "--action", "read_models_rebuild", "--json"], { tty: false });
    const entries = (JSON.parse(audit.stdout) as { admin_events: { reason: string; before: unknown; after: unknown; targets: unknown }[] }).admin_events;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      reason: "check",
      before: { version: READ_MODEL_VERSION, seq: events },
      after: { version: READ_MODEL_VERSION, seq: events },
      targets: [{ kind: "workspace", id: "ws" }],
    });
    const verify = await cli(["verify", "--json"], { tty: false });
    expect(verify.code, verify.stdout).toBe(0);
    const report = commandOutputSchema("verify").parse(JSON.parse(verify.stdout)).verify;
    expect(report.read_models).toMatchObject({ version: READ_MODEL_VERSION, events: report.events });
  });

  it("refuses a blank reason before it changes anything", async () => {
    const before = head();
    const result = await cli(["admin", "rebuild-read-models", "--reason", " "], { tty: false });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("code: ERR_REASON_REQUIRED");
    expect(head()).toBe(before);
  });

  it("shows a progress line on a terminal's stderr, and none when piped or with --json", async () => {
    const live = await cli(["admin", "rebuild-read-models", "--reason", "progress"], { tty: true });
    expect(live.code, live.stderr).toBe(0);
    expect(live.stderr).toMatch(PROGRESS);
    expect(live.stdout).toMatch(/^read models rebuilt: [\d,]+ events derived in \d+\.\d\d s \(version \w+ at event \d+ → version \w+ at event \d+\)\n$/);
    const piped = await cli(["admin", "rebuild-read-models", "--reason", "piped"], { tty: false });
    expect(piped.stderr).toBe("");
    const json = await cli(["admin", "rebuild-read-models", "--reason", "json", "--json"], { tty: true });
    expect(json.stderr).not.toContain("rebuilding");
  });

  it("a rebuild on open shows the same progress line on a terminal, and none when piped", async () => {
    setStoredVersion("0");
    const live = await cli(["runs"], { tty: true });
    expect(live.code, live.stderr).toBe(0);
    expect(live.stderr).toMatch(PROGRESS);
    expect(live.stderr).toContain(`${head().toLocaleString("en-US")} / ${head().toLocaleString("en-US")} events\n`);
    setStoredVersion("0");
    const piped = await cli(["runs"], { tty: false });
    expect(piped.code).toBe(0);
    expect(piped.stderr).toBe("");
    const again = await cli(["runs"], { tty: true });
    expect(again.stderr).toBe("");
  });
});
