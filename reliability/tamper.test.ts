import { chmodSync, copyFileSync, cpSync, mkdtempSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync, writeSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyWorkspace } from "../src/cli/actions/verify.js";
import { isRunledgerError } from "../src/core/errors.js";
import { GENESIS_HASH, hashEvent } from "../src/ledger/hash-chain.js";
import { Ledger } from "../src/ledger/ledger.js";
import { SqliteLedgerStore } from "../src/ledger/sqlite/sqlite-ledger-store.js";
import { openWorkspace } from "../src/workspace/workspace.js";
import { initWorkspace, runledger, writePipeline } from "./support/engine.js";
import { reportFigures } from "./support/figures.js";
import { lanePipeline } from "./support/pipelines.js";
import { Prng } from "./support/prng.js";
import { SCALE, SEED } from "./support/scale.js";

let dir: string;
let root: string;
let pristine: string;
let cliRoot: string;
let blobs: string[];

interface Row {
  seq: number;
  type: string;
  project: string;
  body: string;
  hash: string;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "runledger-rel-tamper-"));
  root = initWorkspace(dir, "ws");
  writePipeline(root, "p.yaml", lanePipeline("tampered", 30));
  const run = runledger(["run", "p.yaml", "--json"], { cwd: root });
  if (run.code !== 0) throw new Error(run.stderr);
  // One self-contained file to copy per trial.
  const db = new Database(join(root, ".runledger", "ledger.db"));
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
  pristine = join(dir, "pristine.db");
  copyFileSync(join(root, ".runledger", "ledger.db"), pristine);
  cliRoot = join(dir, "cli-ws");
  cpSync(root, cliRoot, { recursive: true });
  const blobDir = join(root, ".runledger", "artifacts", "sha256");
  blobs = readdirSync(blobDir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LEDGER_KINDS = ["change-body", "change-type", "change-project", "change-hash", "delete", "insert", "reorder"] as const;
const ARTIFACT_KINDS = ["artifact-byte", "artifact-delete"] as const;
type Kind = (typeof LEDGER_KINDS)[number] | (typeof ARTIFACT_KINDS)[number];

/** Tampers with a copy of the ledger the way someone with write access to the file could: triggers dropped first. */
function tamperLedger(path: string, kind: (typeof LEDGER_KINDS)[number], prng: Prng): string {
  const db = new Database(path);
  try {
    db.exec("DROP TRIGGER events_append_only_update; DROP TRIGGER events_append_only_delete;");
    const rows = db.prepare("SELECT seq, type, project, body, hash FROM events ORDER BY seq").all() as Row[];
    const row = prng.pick(rows);
    const update = (column: keyof Row, value: string | number, seq = row.seq) => db.prepare(`UPDATE events SET ${column} = ? WHERE seq = ?`).run(value, seq);
    switch (kind) {
      case "change-body": {
        const at = prng.int(0, row.body.length - 1);
        const old = row.body[at] as string;
        let replacement = old;
        while (replacement === old) replacement = String.fromCharCode(prng.int(32, 126));
        update("body", row.body.slice(0, at) + replacement + row.body.slice(at + 1));
        return `seq ${row.seq} body[${at}] ${JSON.stringify(old)}→${JSON.stringify(replacement)}`;
      }
      case "change-type": {
        const others = [...new Set(rows.map((r) => r.type))].filter((t) => t !== row.type);
        const type = prng.pick(others);
        update("type", type);
        return `seq ${row.seq} type ${row.type}→${type}`;
      }
      case "change-project": {
        update("project", `${row.project}${String.fromCharCode(prng.int(97, 122))}`);
        return `seq ${row.seq} project`;
      }
      case "change-hash": {
        const at = prng.int(7, row.hash.length - 1);
        const digit = "0123456789abcdef".replace(row.hash[at] as string, "");
        update("hash", row.hash.slice(0, at) + prng.pick([...digit]) + row.hash.slice(at + 1));
        return `seq ${row.seq} hash[${at}]`;
      }
      case "delete": {
        db.prepare("DELETE FROM events WHERE seq = ?").run(row.seq);
        return `seq ${row.seq} deleted`;
      }
      case "insert": {
        // A forged event, chained correctly to the event before it, shifted in at `seq`.
        const at = row.seq;
        const source = prng.pick(rows);
        const prev = at === 1 ? GENESIS_HASH : (rows[at - 2] as Row).hash;
        db.prepare("UPDATE events SET seq = seq + 1000000 WHERE seq >= ?").run(at);
        db.prepare("UPDATE events SET seq = seq - 999999 WHERE seq >= 1000000").run();
        db.prepare("INSERT INTO events (seq, type, project, body, hash) VALUES (?, ?, ?, ?, ?)").run(
          at,
          source.type,
          source.project,
          source.body,
          hashEvent(at, prev, source.project, source.type, source.body),
        );
        return `forged copy of seq ${source.seq} inserted at ${at}`;
      }
      case "reorder": {
        let other = row;
        while (other.seq === row.seq) other = prng.pick(rows);
        for (const column of ["type", "project", "body", "hash"] as const) {
          update(column, other[column], row.seq);
          update(column, row[column], other.seq);
        }
        return `seq ${row.seq} swapped with ${other.seq}`;
      }
    }
  } finally {
    db.close();
  }
}

async function ledgerDetects(path: string): Promise<boolean> {
  const ledger = new Ledger(new SqliteLedgerStore(path));
  try {
    return (await ledger.verify()).ok === false;
  } finally {
    await ledger.close();
  }
}

async function artifactsDetect(): Promise<string | undefined> {
  const ws = await openWorkspace(root);
  try {
    await verifyWorkspace(ws);
    return undefined;
  } catch (error) {
    return isRunledgerError(error) ? error.code : String(error);
  } finally {
    await ws.close();
  }
}

function cliVerify(workspace: string): { code: number; error?: string } {
  const result = runledger(["verify", "--json"], { cwd: workspace });
  const envelope = JSON.parse(result.stdout) as { error?: { code: string } };
  return { code: result.code, ...(envelope.error ? { error: envelope.error.code } : {}) };
}

describe("tampering", () => {
  it("the untouched workspace verifies (the trials start from an intact ledger and store)", async () => {
    expect(await ledgerDetects(pristine)).toBe(false);
    expect(await artifactsDetect()).toBeUndefined();
    expect(cliVerify(root).code).toBe(0);
  });

  it(`every change, deletion, insertion and reordering of events and every changed artifact byte is detected (${SCALE.tamperTrials} seeded trials)`, async () => {
    const prng = new Prng(SEED ^ 0x7a3);
    const kinds: Kind[] = [...LEDGER_KINDS, ...ARTIFACT_KINDS, "artifact-byte"];
    const counts: Record<string, { trials: number; detected: number }> = {};
    const missed: string[] = [];
    let viaCli = 0;
    for (let trial = 0; trial < SCALE.tamperTrials; trial++) {
      const kind = prng.pick(kinds);
      const checkCli = trial % 25 === 0;
      let what: string;
      let detected: boolean;
      if (kind === "artifact-byte" || kind === "artifact-delete") {
        // An empty blob has no byte to change; it can still be deleted.
        const blob = prng.pick(kind === "artifact-byte" ? blobs.filter((b) => statSync(b).size > 0) : blobs);
        chmodSync(blob, 0o644);
        if (kind === "artifact-delete") {
          renameSync(blob, `${blob}.gone`);
          what = `${blob} removed`;
          const code = await artifactsDetect();
          detected = code === "ERR_ARTIFACT_MISSING";
          what += ` (verify said ${code})`;
          renameSync(`${blob}.gone`, blob);
        } else {
          const fd = openSync(blob, "r+");
          const size = readSync(fd, Buffer.alloc(1 << 20), 0, 1 << 20, 0);
          const at = prng.int(0, size - 1);
          const byte = Buffer.alloc(1);
          readSync(fd, byte, 0, 1, at);
          const flipped = Buffer.from([byte[0]! ^ prng.int(1, 255)]);
          writeSync(fd, flipped, 0, 1, at);
          what = `${blob} byte ${at}`;
          detected = (await artifactsDetect()) === "ERR_ARTIFACT_CORRUPT";
          if (checkCli) {
            const cli = cliVerify(root);
            detected &&= cli.code === 1 && cli.error === "ERR_ARTIFACT_CORRUPT";
            viaCli++;
          }
          writeSync(fd, byte, 0, 1, at);
          closeSync(fd);
        }
        chmodSync(blob, 0o400);
      } else {
        const path = join(dir, `trial.db`);
        copyFileSync(pristine, path);
        what = tamperLedger(path, kind, prng);
        detected = await ledgerDetects(path);
        if (checkCli) {
          const target = join(cliRoot, ".runledger", "ledger.db");
          copyFileSync(path, target);
          const cli = cliVerify(cliRoot);
          detected &&= cli.code === 1 && cli.error === "ERR_LEDGER_TAMPERED";
          viaCli++;
        }
      }
      const count = (counts[kind] ??= { trials: 0, detected: 0 });
      count.trials++;
      if (detected) count.detected++;
      else missed.push(`trial ${trial} ${kind}: ${what}`);
    }
    reportFigures("tamper", { trials: SCALE.tamperTrials, detected: SCALE.tamperTrials - missed.length, via_cli: viaCli, by_kind: counts });
    expect(missed, `undetected tampering (seed ${SEED})`).toEqual([]);
    // The store is back to its bytes: nothing a later test reads was left tampered.
    expect(await artifactsDetect()).toBeUndefined();
  });
});
