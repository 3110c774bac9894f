import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { Ledger } from "../src/ledger/ledger.js";
import type { StoredRow } from "../src/ledger/hash-chain.js";
import { runLedgerConformance, type LedgerConformanceFactory } from "../src/ledger/conformance/ledger-conformance.js";
import { readModelConformance, type ReadModelFixture } from "../src/ledger/conformance/read-model-conformance.js";
import { SqliteLedgerStore, type SqliteLedgerOptions } from "../src/ledger/sqlite/sqlite-ledger-store.js";
import { SERVICE_ACTOR } from "../src/ledger/conformance/sample-events.js";

/** The conformance harness over a fresh SQLite file, with the store's options. */
const sqliteHarness = (options: SqliteLedgerOptions): LedgerConformanceFactory => ({
  async open() {
    const dir = mkdtempSync(join(tmpdir(), "runledger-sqlite-"));
    const path = join(dir, "ledger.db");
    const stores: SqliteLedgerStore[] = [];
    const make = () => {
      const store = new SqliteLedgerStore(path, options);
      stores.push(store);
      return store;
    };
    const raw = <T>(work: (db: Database.Database) => T): T => {
      const db = new Database(path);
      try {
        return work(db);
      } finally {
        db.close();
      }
    };
    return {
      store: make(),
      reopen: async () => make(),
      // SQLite keeps no prev column: the chain's prev is the previous row's hash.
      rawRows: async () => raw((db) => db.prepare("SELECT seq, type, project, body, '' AS prev, hash FROM events ORDER BY rowid").all() as StoredRow[]),
      rawOverwrite: async (rows) =>
        raw((db) => {
          db.exec("DROP TRIGGER events_append_only_update; DROP TRIGGER events_append_only_delete; DELETE FROM events;");
          const insert = db.prepare("INSERT INTO events (seq, type, project, body, hash) VALUES (?, ?, ?, ?, ?)");
          for (const r of rows) insert.run(r.seq, r.type, r.project, r.body, r.hash);
        }),
      destroy: async () => {
        for (const store of stores) await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
});

runLedgerConformance("sqlite", sqliteHarness({}));
runLedgerConformance("sqlite, every group in the writer thread", sqliteHarness({ writer: "thread" }));
runLedgerConformance("sqlite, every group inline", sqliteHarness({ writer: "inline" }));

/** The read-model suite over a fresh SQLite file, with the store's options and read models. */
const sqliteReadModels = (options: SqliteLedgerOptions) => async (): Promise<ReadModelFixture> => {
  const dir = mkdtempSync(join(tmpdir(), "runledger-sqlite-rm-"));
  const path = join(dir, "ledger.db");
  const stores: SqliteLedgerStore[] = [];
  const make = async (bare = false) => {
    const store = new SqliteLedgerStore(path, { ...options, readModels: !bare });
    stores.push(store);
    return store;
  };
  return {
    store: await make(),
    reopen: make,
    tamper: async (sql) => {
      const db = new Database(path);
      try {
        db.exec(sql);
      } finally {
        db.close();
      }
    },
    destroy: async () => {
      for (const store of stores) await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

readModelConformance("sqlite", sqliteReadModels({}));
readModelConformance("sqlite, every group in the writer thread", sqliteReadModels({ writer: "thread" }));
readModelConformance("sqlite, every group inline", sqliteReadModels({ writer: "inline" }));

describe("sqlite: the writer thread and the adaptive writer", () => {
  const dir = mkdtempSync(join(tmpdir(), "runledger-writer-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (id: string) => ({ type: "run.started" as const, project: "p", actor: SERVICE_ACTOR, data: { run_id: id } });
  /** A ledger with one event, and another connection holding its write lock until release() is called. */
  async function lockedLedger(name: string, busyTimeoutMs: number, writer: SqliteLedgerOptions["writer"] = "adaptive") {
    const path = join(dir, name);
    const ledger = new Ledger(new SqliteLedgerStore(path, { busyTimeoutMs, writer }));
    await ledger.append([run("before")]);
    const other = new Database(path);
    other.exec("BEGIN IMMEDIATE");
    const release = () => {
      other.exec("ROLLBACK");
      other.close();
    };
    return { ledger, release };
  }

  for (const writer of ["adaptive", "inline"] as const) {
    it(`fails a group with ERR_STORAGE (SQLITE_BUSY) while another connection holds the write lock too long (${writer}), loses nothing, then goes on`, async () => {
      const { ledger, release } = await lockedLedger(`busy-${writer}.db`, 50, writer);
      await expect(ledger.append([run("blocked")])).rejects.toMatchObject({ code: "ERR_STORAGE", context: { code: "SQLITE_BUSY" } });
      release();
      expect(await ledger.append([run("after")])).toMatchObject([{ seq: 2 }]);
      const ids = [];
      for await (const event of ledger.read()) ids.push(event.type === "run.started" ? event.data.run_id : "");
      expect(ids).toEqual(["before", "after"]);
      expect(await ledger.verify()).toMatchObject({ ok: true, checked: 2 });
      await ledger.close();
    });
  }

  for (const writer of ["adaptive", "inline"] as const) {
    it(`waits for a lock held elsewhere off the event loop (${writer}): timers keep firing, and the append lands once the lock is free`, async () => {
      const { ledger, release } = await lockedLedger(`waiting-${writer}.db`, 5_000, writer);
      // Only a free event loop runs this timer; an append waiting on this thread would hold it for 5 s and then fail.
      setTimeout(release, 200);
      expect(await ledger.append([run("waited")])).toMatchObject([{ seq: 2 }]);
      expect(await ledger.verify()).toMatchObject({ ok: true, checked: 2 });
      await ledger.close();
    });
  }

  it("keeps the write-ahead log bounded: the thread checkpoints after its commits", async () => {
    const path = join(dir, "wal.db");
    const ledger = new Ledger(new SqliteLedgerStore(path));
    const big = "x".repeat(10_000);
    // Calls of 200 events: larger than one chunk, so they go through the writer thread.
    for (let b = 0; b < 15; b++) {
      await ledger.append(
        Array.from({ length: 200 }, (_, i) => ({
          type: "task.skipped" as const,
          project: "p",
          actor: SERVICE_ACTOR,
          data: { reason: big, run_id: `r${b}`, task: `t${i}` },
        })),
      );
    }
    // 30 MB of events went through it; without checkpoints the log would hold them all.
    expect(statSync(`${path}-wal`).size).toBeLessThan(20 * 1024 * 1024);
    expect(await ledger.verify()).toMatchObject({ ok: true, checked: 3000 });
    await ledger.close();
  });

  it("fails this and every later append with ERR_STORAGE when the thread cannot open the ledger", async () => {
    const path = join(dir, "gone.db");
    const ledger = new Ledger(new SqliteLedgerStore(path, { writer: "thread" }));
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${path}${suffix}`, { force: true });
    const error = await ledger.append([run("a")]).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "ERR_STORAGE", context: { code: "SQLITE_CANTOPEN" } });
    expect((error as Error).message).toContain("unable to open");
    await expect(ledger.append([run("b")])).rejects.toMatchObject({ code: "ERR_STORAGE" });
    await ledger.close();
  });
});

describe("sqlite: verifying long chains on every core", () => {
  const dir = mkdtempSync(join(tmpdir(), "runledger-parallel-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const ACTOR = Object.freeze({ kind: "service", id: "t" } as const);

  /** A 3,000-event ledger, tampered by `sql`, verified both ways: the answers must agree. */
  async function verifyBothWays(name: string, sql?: string) {
    const path = join(dir, `${name}.db`);
    const writer = new Ledger(new SqliteLedgerStore(path));
    for (let b = 0; b < 30; b++) {
      await writer.append(
        Array.from({ length: 100 }, (_, i) => ({ type: "run.started" as const, project: "p", actor: ACTOR, data: { run_id: `r${b * 100 + i}` } })),
      );
    }
    await writer.close();
    if (sql) {
      const db = new Database(path);
      db.exec(`DROP TRIGGER events_append_only_update; DROP TRIGGER events_append_only_delete; ${sql}`);
      db.close();
    }
    const parallel = new Ledger(new SqliteLedgerStore(path, { parallelVerifyFrom: 100 }));
    const inProcess = new Ledger(new SqliteLedgerStore(path, { parallelVerifyFrom: Number.POSITIVE_INFINITY }));
    const [a, b] = [await parallel.verify(), await inProcess.verify()];
    await parallel.close();
    await inProcess.close();
    expect(a).toEqual(b);
    return a;
  }

  it("passes an intact chain", async () => {
    expect(await verifyBothWays("intact")).toMatchObject({ ok: true, checked: 3000 });
  });
  it("finds a changed body", async () => {
    expect(await verifyBothWays("changed", "UPDATE events SET body = replace(body, 'r2500', 'r9999') WHERE seq = 2501")).toMatchObject({
      ok: false,
      broken: { seq: 2501, reason: "hash-mismatch" },
    });
  });
  it("finds a changed stored hash", async () => {
    expect(await verifyBothWays("rehashed", "UPDATE events SET hash = upper(hash) WHERE seq = 1700")).toMatchObject({
      ok: false,
      broken: { seq: 1700, reason: "hash-mismatch" },
    });
  });
  it("finds a deleted event at a range boundary", async () => {
    expect(await verifyBothWays("boundary", "DELETE FROM events WHERE seq = 1501")).toMatchObject({ ok: false, broken: { seq: 1501 } });
  });
  it("finds deleted events spanning chunks, as a gap where they start", async () => {
    expect(await verifyBothWays("spanning", "DELETE FROM events WHERE seq BETWEEN 100 AND 700")).toMatchObject({
      ok: false,
      broken: { seq: 100, reason: "sequence-gap" },
    });
  });
  it("finds a truncated tail", async () => {
    expect(await verifyBothWays("truncated", "DELETE FROM events WHERE seq > 2990")).toMatchObject({
      ok: false,
      broken: { seq: 2991, reason: "head-mismatch" },
    });
  });
});
