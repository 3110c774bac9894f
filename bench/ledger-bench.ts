import { hash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { Ledger } from "../src/ledger/ledger.js";
import type { NewEvent } from "../src/ledger/ledger-event.js";
import type { LedgerStore } from "../src/ledger/ledger-store.js";
import { PostgresLedgerStore } from "../src/ledger/postgres/postgres-ledger-store.js";
import { SqliteLedgerStore } from "../src/ledger/sqlite/sqlite-ledger-store.js";
import { SecretMask } from "../src/secrets/secret-mask.js";
import { startPostgres } from "../test/support/postgres-server.js";
import { HistoryMix } from "./history-events.js";
import { formatRate, median, table, timed } from "./stats.js";

const EVENTS = Number(process.env["BENCH_LEDGER_EVENTS"] ?? 200_000);
const BATCH = 1_000;
const RUNS = Number(process.env["BENCH_RUNS"] ?? 5);

const ENGINE = Object.freeze({ kind: "service", id: "runledger-engine" } as const);

/** Uniform events: an attempt start, about 330 bytes of canonical JSON each, from one engine actor. */
function batchOf(offset: number): NewEvent[] {
  return Array.from({ length: BATCH }, (_, i) => ({
    type: "attempt.started",
    project: "bench",
    actor: ENGINE,
    data: {
      run_id: "3f1c2a9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b",
      task: `task-${(offset + i) % 2000}`,
      job_id: `job-${offset + i}`,
      attempt_id: `attempt-${offset + i}`,
      attempt_number: 1,
      operator_ref: "numbers@1.0.0",
      cache_key: `sha256:${(offset + i).toString(16).padStart(64, "0")}`,
    },
  }));
}

interface Figures {
  append: number[];
  verify: number[];
}

/** The history bench's mix (runs with their attempts, artifacts, checks, gates, admin actions), in the same group commits. */
function mixBatches(): NewEvent[][] {
  const mix = new HistoryMix("bench");
  return Array.from({ length: EVENTS / BATCH }, () => mix.next(BATCH));
}

async function measure(open: () => Promise<LedgerStore>, batches: readonly NewEvent[][], figures: Figures, redactor?: SecretMask): Promise<void> {
  const ledger = new Ledger(await open(), redactor ? { redactor } : {});
  // As a workspace opens its ledger: read models (where the store keeps them) brought to the head first.
  await ledger.openReadModels();
  const appendSeconds = await timed(async () => {
    for (const batch of batches) await ledger.append(batch);
  });
  let checked = 0;
  const verifySeconds = await timed(async () => {
    const report = await ledger.verify();
    if (!report.ok) throw new Error("benchmark ledger does not verify");
    checked = report.checked;
  });
  if (checked !== EVENTS) throw new Error(`verified ${checked} of ${EVENTS}`);
  figures.append.push(EVENTS / appendSeconds);
  figures.verify.push(EVENTS / verifySeconds);
  await ledger.close();
}

/** The peer of verify: the peer's rows read back and each body hashed, on one thread, with no chain to follow. */
async function rawSqliteHashScan(dir: string, run: number): Promise<number> {
  const db = new Database(join(dir, `raw-${run}.db`), { readonly: true });
  const bodies = db.prepare("SELECT body FROM events ORDER BY seq").pluck(true);
  let rows = 0;
  const seconds = await timed(() => {
    for (const body of bodies.iterate() as IterableIterator<string>) {
      hash("sha256", body, "hex");
      rows++;
    }
  });
  db.close();
  if (rows !== EVENTS) throw new Error(`hashed ${rows} of ${EVENTS}`);
  return EVENTS / seconds;
}

/** The peer: the same rows through a bare prepared INSERT, no validation, canonical JSON or hashing. */
async function rawSqliteInsert(dir: string, run: number, batches: readonly NewEvent[][]): Promise<number> {
  const db = new Database(join(dir, `raw-${run}.db`));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.exec("CREATE TABLE events (seq INTEGER PRIMARY KEY, type TEXT, project TEXT, body TEXT, prev TEXT, hash TEXT)");
  const insert = db.prepare("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)");
  const tx = db.transaction((rows: NewEvent[], offset: number) => {
    rows.forEach((e, i) => insert.run(offset + i + 1, e.type, e.project, JSON.stringify(e.data), "p", "h"));
  });
  const seconds = await timed(() => batches.forEach((batch, b) => tx(batch, b * BATCH)));
  db.close();
  return EVENTS / seconds;
}

export async function ledgerBench(): Promise<void> {
  console.log(
    `ledger benchmark: ${EVENTS.toLocaleString("en-US")} events in group commits of ${BATCH} (uniform attempt.started, and the history bench's mix), ${RUNS} runs each, medians; durability full (fsync per commit)\n`,
  );
  const dir = mkdtempSync(join(tmpdir(), "runledger-bench-"));
  const sqlite: Figures = { append: [], verify: [] };
  // As a workspace opens its ledger: every payload through the secret mask, here of three stored secrets.
  const masked: Figures = { append: [], verify: [] };
  const mask = new SecretMask();
  mask.learn(["vendor-token-0123456789abcdef", "postgres-password-4242", "signing-key-9f8e7d6c5b4a"]);
  const postgres: Figures = { append: [], verify: [] };
  const withModels: Figures = { append: [], verify: [] };
  const mixed: Figures = { append: [], verify: [] };
  const mixedWithModels: Figures = { append: [], verify: [] };
  const raw: number[] = [];
  const rawScan: number[] = [];
  // One set of events for every run: built before the clocks start, and long-lived, so building them
  // costs no run its garbage collection.
  const batches = Array.from({ length: EVENTS / BATCH }, (_, b) => batchOf(b * BATCH));
  const mix = mixBatches();
  const sqliteAt = (name: string, readModels: boolean) => async () => new SqliteLedgerStore(join(dir, name), { durability: "full", readModels });
  try {
    // SQLite and its peer side by side, before the PostgreSQL server exists: a server digesting a
    // bulk load (checkpoints, autovacuum) takes CPU and disk from whatever runs beside it.
    for (let run = 0; run < RUNS; run++) {
      await measure(sqliteAt(`ledger-${run}.db`, false), batches, sqlite);
      await measure(sqliteAt(`models-${run}.db`, true), batches, withModels);
      await measure(sqliteAt(`mix-${run}.db`, false), mix, mixed);
      await measure(sqliteAt(`mix-models-${run}.db`, true), mix, mixedWithModels);
      await measure(async () => new SqliteLedgerStore(join(dir, `masked-${run}.db`), { durability: "full" }), batches, masked, mask);
      raw.push(await rawSqliteInsert(dir, run, batches));
      rawScan.push(await rawSqliteHashScan(dir, run));
    }
    const server = await startPostgres();
    try {
      for (let run = 0; run < RUNS; run++) {
        await measure(
          () => PostgresLedgerStore.open({ connectionString: server.connectionString, schema: `bench_${run}`, durability: "full" }),
          batches,
          postgres,
        );
      }
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    table([
      ["backend", "append (durable)", "verify", "append target", "verify target"],
      ["sqlite", formatRate(median(sqlite.append)), formatRate(median(sqlite.verify)), ">= 100,000/s", ">= 500,000/s"],
      ["sqlite + read models", formatRate(median(withModels.append)), formatRate(median(withModels.verify)), "-", "-"],
      ["sqlite, realistic mix", formatRate(median(mixed.append)), formatRate(median(mixed.verify)), "-", "-"],
      ["sqlite + read models, realistic mix", formatRate(median(mixedWithModels.append)), formatRate(median(mixedWithModels.verify)), "-", "-"],
      ["sqlite, through a workspace's secret mask", formatRate(median(masked.append)), formatRate(median(masked.verify)), "-", "-"],
      ["postgres", formatRate(median(postgres.append)), formatRate(median(postgres.verify)), "-", "-"],
      ["peer: bare sqlite INSERT; SELECT + sha256, 1 thread", formatRate(median(raw)), formatRate(median(rawScan)), "-", "-"],
    ]),
  );
  console.log(
    `runs: sqlite append ${sqlite.append.map(Math.round).join(", ")}; verify ${sqlite.verify.map(Math.round).join(", ")}; bare INSERT ${raw.map(Math.round).join(", ")}; bare SELECT + sha256 ${rawScan.map(Math.round).join(", ")}`,
  );
  console.log(`masked append ${masked.append.map(Math.round).join(", ")}`);
  console.log(
    `read models append: attempt.started ${withModels.append.map(Math.round).join(", ")}; mix without ${mixed.append.map(Math.round).join(", ")}; mix with ${mixedWithModels.append.map(Math.round).join(", ")}`,
  );
  console.log(
    `\nsqlite append vs bare INSERT: ${(median(sqlite.append) / median(raw)).toFixed(2)}x; verify (all cores) vs bare SELECT + sha256 (one thread): ${(median(sqlite.verify) / median(rawScan)).toFixed(2)}x; masked append vs unmasked: ${(median(masked.append) / median(sqlite.append)).toFixed(2)}x`,
  );
  console.log(
    `append with read models vs without: attempt.started ${(median(withModels.append) / median(sqlite.append)).toFixed(2)}x; realistic mix ${(median(mixedWithModels.append) / median(mixed.append)).toFixed(2)}x (target >= 0.85)`,
  );
}
