import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { READ_MODEL_VERSION } from "../src/ledger/read-models/read-model-version.js";
import { verifyReadModels } from "../src/ledger/read-models/verify-read-models.js";
import { openWorkspace } from "../src/workspace/workspace.js";
import { CLI, runledger } from "./support/cli.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "runledger-rm-faults-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface RunsJson {
  runs: { id: string; status: string; result: string | null }[];
}

/** A workspace holding two runs of the example pipeline. */
function workspaceWithRuns(name: string): string {
  const root = join(dir, name);
  expect(runledger(["init", root], { cwd: dir }).code).toBe(0);
  for (const extra of [[], ["--no-cache"]]) {
    const run = runledger(["run", "pipelines/hello.yaml", ...extra], { cwd: root });
    expect(run.code, run.stderr).toBe(0);
  }
  return root;
}

function cli(root: string, args: readonly string[]) {
  return runledger(args, { cwd: root });
}

function json<T>(root: string, args: readonly string[]): T {
  const result = cli(root, [...args, "--json"]);
  expect(result.code, result.stderr + result.stdout).toBe(0);
  return JSON.parse(result.stdout) as T;
}

/** Runs `work` on the workspace's SQLite ledger file, opened beside the CLI as someone with write access would. */
function withDb<T>(root: string, work: (db: Database.Database) => T): T {
  const db = new Database(join(root, ".runledger", "ledger.db"));
  try {
    return work(db);
  } finally {
    db.close();
  }
}

function storedVersion(root: string): string | undefined {
  return withDb(root, (db) => db.prepare<[], string>("SELECT value FROM rm_meta WHERE name = 'version'").pluck(true).get());
}

interface VerifyJson {
  verify: { events: number; read_models?: { version: string; events: number; rows: number } };
}

describe("read models under faults, through the CLI", () => {
  it("a table dropped by hand comes back on the next command, which answers as before", () => {
    const root = workspaceWithRuns("dropped");
    const before = json<RunsJson>(root, ["runs"]);
    expect(before.runs).toHaveLength(2);
    withDb(root, (db) => db.exec("DROP TABLE rm_runs; DROP TABLE rm_docs"));
    expect(json<RunsJson>(root, ["runs"]).runs).toEqual(before.runs);
    expect(json<RunsJson>(root, ["show", before.runs[0]!.id])).toBeDefined();
    const verified = json<VerifyJson>(root, ["verify"]);
    expect(verified.verify.read_models).toMatchObject({ version: READ_MODEL_VERSION, events: verified.verify.events });
    expect(verified.verify.read_models!.rows).toBeGreaterThan(0);
  });

  it("a row edited by hand: verify names it and says the chain is intact; rebuild-read-models fixes it", () => {
    const root = workspaceWithRuns("edited");
    const [first] = json<RunsJson>(root, ["runs"]).runs;
    withDb(root, (db) => db.prepare("UPDATE rm_runs SET status = 'failed' WHERE run_id = ?").run(first!.id));

    const human = cli(root, ["verify"]);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/^ledger intact: \d+ events, head sha256:[0-9a-f]{64}\nartifacts intact: /);
    expect(human.stderr).toContain("error: read models differ from the ledger");
    expect(human.stderr).toContain(`runs row "${first!.id}"`);
    expect(human.stderr).toContain("the chain is intact");
    expect(human.stderr).toContain("runledger admin rebuild-read-models");
    expect(human.stderr).toContain("code: ERR_READ_MODEL_DRIFT");

    const asJson = cli(root, ["verify", "--json"]);
    expect(asJson.code).toBe(1);
    const failure = JSON.parse(asJson.stdout) as { status: string; error: { code: string; message: string } };
    expect(failure).toMatchObject({ status: "error", error: { code: "ERR_READ_MODEL_DRIFT" } });
    expect(failure.error.message).toContain(`runs row "${first!.id}"`);
    // The chain's verdict is still reported, in the failure's message.
    expect(failure.error.message).toMatch(/the chain is intact: \d+ events, head sha256:[0-9a-f]{64}/);

    const rebuilt = cli(root, ["admin", "rebuild-read-models", "--reason", "verify reported drift"]);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(rebuilt.stdout).toMatch(/^read models rebuilt: [\d,]+ events derived in \d+\.\d\d s/);
    expect(cli(root, ["verify"]).code).toBe(0);
    expect(json<RunsJson>(root, ["runs"]).runs[0]!.status).toBe(first!.status);
  });

  it("tampering with a read model never changes what verify says of a tampered chain", () => {
    const root = workspaceWithRuns("both");
    withDb(root, (db) => {
      db.exec("UPDATE rm_runs SET status = 'failed'");
      db.exec("DROP TRIGGER events_append_only_update");
      db.exec(`UPDATE events SET body = replace(body, '"at":"2', '"at":"1') WHERE seq = 2`);
    });
    const result = cli(root, ["verify"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("code: ERR_LEDGER_TAMPERED");
    expect(result.stderr).not.toContain("ERR_READ_MODEL_DRIFT");
  });

  it("models of an older version are rebuilt on open", () => {
    const root = workspaceWithRuns("older");
    const before = json<RunsJson>(root, ["runs"]);
    withDb(root, (db) => db.exec("UPDATE rm_meta SET value = '0' WHERE name = 'version'"));
    expect(storedVersion(root)).toBe("0");
    expect(json<RunsJson>(root, ["runs"]).runs).toEqual(before.runs);
    expect(storedVersion(root)).toBe(READ_MODEL_VERSION);
    expect(json<VerifyJson>(root, ["verify"]).verify.read_models?.version).toBe(READ_MODEL_VERSION);
  });

  it("kill -9 during a rebuild on open: the next open finishes it and verify is ok", async () => {
    const root = workspaceWithRuns("killed");
    const workspace = await openWorkspace(root);
    try {
      const actor = { kind: "service", id: "filler" } as const;
      for (let from = 0; from < 50_000; from += 5_000) {
        const events = Array.from({ length: 5_000 }, (_, i) => ({
          type: "run.started" as const,
          project: "default",
          actor,
          data: { run_id: `filler-${from + i}` },
        }));
        await workspace.ledger.append(events);
      }
    } finally {
      await workspace.close();
    }
    withDb(root, (db) => db.exec("UPDATE rm_meta SET value = '0' WHERE name = 'version'"));

    // A read command finds the old version and rebuilds under the write lock; kill it once it holds the lock.
    const child = spawn(process.execPath, [CLI, "runs", "--json"], { cwd: root, env: { ...process.env, RUNLEDGER_ACTOR: "human:tester" }, stdio: "ignore" });
    const exit = once(child, "exit");
    const probe = new Database(join(root, ".runledger", "ledger.db"), { timeout: 0 });
    try {
      let locked = false;
      while (!locked && child.exitCode === null) {
        try {
          probe.exec("BEGIN IMMEDIATE");
          probe.exec("ROLLBACK");
          await sleep(2);
        } catch {
          locked = true;
        }
      }
      expect(locked, "the rebuild ended before it was seen holding the write lock").toBe(true);
      child.kill("SIGKILL");
      await exit;
    } finally {
      probe.close();
    }
    expect(child.signalCode).toBe("SIGKILL");
    // Killed while the old version's tables were being dropped (that commits on its own) or while the
    // rebuild ran: either way no models of the new version were left half built.
    expect(["0", undefined]).toContain(storedVersion(root));

    const verified = json<VerifyJson>(root, ["verify"]);
    expect(verified.verify.read_models).toMatchObject({ version: READ_MODEL_VERSION, events: verified.verify.events });
    expect(verified.verify.events).toBeGreaterThan(50_000);
    expect(json<RunsJson>(root, ["runs"]).runs).toHaveLength(2);

    const reopened = await openWorkspace(root);
    try {
      expect(await verifyReadModels(reopened.ledger)).toMatchObject({ ok: true });
    } finally {
      await reopened.close();
    }
  }, 120_000);
});
