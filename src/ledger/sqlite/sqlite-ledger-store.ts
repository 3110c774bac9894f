import { closeSync, mkdirSync, openSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname } from "node:path";
import { Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import type { Digest } from "../../core/digest.js";
import { GENESIS_HASH, type ChainBreak, type ChainHead, type PendingRow, type StoredRow } from "../hash-chain.js";
import { BatchingWriter, type LedgerCapabilities, type LedgerStore, type LedgerWriter, type ScanQuery } from "../ledger-store.js";
import { SQLITE_MIGRATIONS } from "./migrations.js";
import { AdaptiveWriter } from "./adaptive-writer.js";
import type { GroupDeriver } from "../read-models/read-model-store.js";
import { READ_MODEL_VERSION } from "../read-models/read-model-version.js";
import { ensureReadModelTables } from "./read-model-sql.mjs";
import { SqliteAppender, type SqliteGroup } from "./sqlite-appender.mjs";
import { SqliteReadModels } from "./sqlite-read-models.js";
import { chunkStatements, verifyNextChunk, type ChunkFinding, type ChunkJob } from "./verify-chunks.mjs";
import { rowFields, sqliteError, WriterThread } from "./writer-thread.js";

export interface SqliteLedgerOptions {
  /** `full` fsyncs every commit (the default); `normal` may lose the last commits on power loss, never on a crash. */
  readonly durability?: "full" | "normal";
  /** How long a writer waits for another process's write lock. */
  readonly busyTimeoutMs?: number;
  /** Chains at least this long are verified on every core at once. */
  readonly parallelVerifyFrom?: number;
  /**
   * Where appends are sealed, inserted and committed. `adaptive` (the default for a file): small
   * groups on the caller's thread, large calls and groups that would wait for the lock in a writer
   * thread (adaptive-writer.ts). `thread`: always in the writer thread. `inline`: always on the
   * caller's thread, trying again on later turns of its event loop while the lock is taken (always
   * so for `:memory:`).
   */
  readonly writer?: "adaptive" | "thread" | "inline";
  /**
   * Keep the read models (src/ledger/read-models/) in this file: every commit also writes what
   * derives from its events. A workspace's ledger keeps them; a bare store does not unless asked.
   */
  readonly readModels?: boolean;
}

interface HeadRow {
  seq: number;
  hash: Digest;
}

/**
 * The embedded ledger backend: one SQLite file in WAL mode. Writers in several processes
 * serialize on SQLite's write lock (BEGIN IMMEDIATE), under which the head is read and the rows
 * sealed (sqlite-appender.mjs).
 */
export class SqliteLedgerStore implements LedgerStore {
  readonly capabilities: LedgerCapabilities;
  private readonly db: Database.Database;
  private readonly readHead: Database.Statement<[], HeadRow>;
  private readonly hashAt: Database.Statement<[number], { hash: Digest }>;
  private readonly rowWriter: LedgerWriter;
  private readonly thread: WriterThread | undefined;
  private readonly path: string;
  private readonly parallelVerifyFrom: number;
  private readonly busyTimeoutMs: number;
  readonly readModels: SqliteReadModels | undefined;

  constructor(path: string, options: SqliteLedgerOptions = {}) {
    this.path = path;
    this.parallelVerifyFrom = options.parallelVerifyFrom ?? 50_000;
    const durability = options.durability ?? "full";
    this.capabilities = { backend: "sqlite", multiProcess: true, multiMachine: false, durability };
    if (path !== ":memory:") {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      // A new ledger is its owner's only; SQLite gives its -wal and -shm files the same mode.
      createPrivateFile(path);
    }
    const busyTimeoutMs = (this.busyTimeoutMs = options.busyTimeoutMs ?? 30_000);
    this.db = new Database(path, { timeout: busyTimeoutMs });
    // Switching a new file to WAL takes an exclusive lock without waiting on the busy handler:
    // processes opening one new ledger at once take turns here instead of failing.
    whileBusy(busyTimeoutMs, () => {
      // Events are ~0.5 KB and read in sequence: 16 KiB pages mean fewer pages per insert and per scan.
      // Only a new file takes it (before WAL is switched on); an existing ledger keeps its size.
      this.db.pragma("page_size = 16384");
      const mode = this.db.pragma("journal_mode = WAL", { simple: true });
      if (mode !== "wal" && path !== ":memory:") throw Object.assign(new Error(`journal_mode is ${String(mode)}, not wal`), { code: "SQLITE_BUSY" });
    });
    this.db.pragma(`synchronous = ${durability === "full" ? "FULL" : "NORMAL"}`);
    migrate(this.db);
    this.readHead = this.db.prepare("SELECT seq, hash FROM ledger_head WHERE id = 1");
    this.hashAt = this.db.prepare("SELECT hash FROM events WHERE seq = ?");
    const appender = new SqliteAppender(this.db);
    const models = (this.readModels = options.readModels ? this.openReadModels() : undefined);
    const mode = path === ":memory:" ? "inline" : (options.writer ?? "adaptive");
    const threadOptions = { path, durability, busyTimeoutMs, readModels: models !== undefined };
    const thread = (this.thread = mode === "inline" ? undefined : new WriterThread(threadOptions, models && ((d, at) => models.deriveForThread(d, at))));
    const commit = (rows: readonly PendingRow[], derive: GroupDeriver | undefined) =>
      commitRows(appender, rows, models && derive && ((base) => models.applyDerived(derive, base)));
    this.rowWriter = !thread
      ? new BatchingWriter((rows, derive) => this.whenUnlocked(() => commit(rows, derive)))
      : mode === "thread"
        ? thread
        : new AdaptiveWriter(thread, (rows, derive) => this.withoutWaiting(() => commit(rows, derive)));
  }

  /** The read models' tables, created where missing (whatever was left of them is then rebuilt on open). */
  private openReadModels(): SqliteReadModels {
    whileBusy(this.busyTimeoutMs, () => ensureReadModelTables(this.db, READ_MODEL_VERSION));
    return new SqliteReadModels(this.db);
  }

  /**
   * Runs `work` without waiting on this thread: while another connection holds the write lock it
   * tries again on later turns of the event loop, for up to the busy timeout.
   */
  private async whenUnlocked<T>(work: () => T): Promise<T> {
    const deadline = Date.now() + this.busyTimeoutMs;
    for (let pause = 1; ; pause = Math.min(pause * 2, 50)) {
      try {
        return this.withoutWaiting(work);
      } catch (error) {
        if ((error as { code?: unknown }).code !== "SQLITE_BUSY" || Date.now() >= deadline) throw sqliteError(error);
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }

  /** Runs `work` with SQLite's busy handler off: a lock held elsewhere fails it with SQLITE_BUSY at once. */
  private withoutWaiting<T>(work: () => T): T {
    this.db.pragma("busy_timeout = 0");
    try {
      return work();
    } finally {
      this.db.pragma(`busy_timeout = ${this.busyTimeoutMs}`);
    }
  }

  writer(): LedgerWriter {
    return this.rowWriter;
  }

  head(): Promise<ChainHead> {
    return attempt(() => this.readHead.get() as HeadRow);
  }

  scan(query: ScanQuery): Promise<StoredRow[]> {
    return attempt(() => {
      const where = ["seq > ?"];
      const params: (string | number)[] = [query.afterSeq];
      if (query.project !== undefined) {
        where.push("project = ?");
        params.push(query.project);
      }
      if (query.types && query.types.length > 0) {
        where.push(`type IN (${query.types.map(() => "?").join(", ")})`);
        params.push(...query.types);
      }
      params.push(query.limit);
      const rows = this.db
        .prepare<(string | number)[], Omit<StoredRow, "prev">>(
          `SELECT seq, type, project, body, hash FROM events WHERE ${where.join(" AND ")} ORDER BY seq LIMIT ?`,
        )
        .all(...params);
      return withPrev(rows, (seq) => this.hashAt.get(seq)?.hash ?? GENESIS_HASH);
    });
  }

  /**
   * Verifies long chains in chunks, on this thread and in worker threads at once: each takes the
   * next chunk until none is left, so this thread works while the workers start.
   */
  async verifyChain(recorded: ChainHead): Promise<{ broken: ChainBreak | undefined } | undefined> {
    if (recorded.seq < this.parallelVerifyFrom || this.path === ":memory:") return undefined;
    const threads = Math.min(availableParallelism(), 8);
    // Chunks small enough to balance threads that start late or run slow, large enough that each is cheap to hand out.
    const chunkRows = Math.max(100, Math.min(2_000, Math.ceil(recorded.seq / (threads * 8))));
    const job = { to: recorded.seq, chunkRows, counter: new Int32Array(new SharedArrayBuffer(4)) };
    const workers = Promise.all(Array.from({ length: threads - 1 }, () => verifyInWorker(this.path, job)));
    workers.catch(() => undefined); // awaited below; not unhandled if this thread fails first
    const db = new Database(this.path, { readonly: true, fileMustExist: true });
    const findings: ChunkFinding[] = [];
    try {
      const statements = chunkStatements(db);
      for (let finding; (finding = verifyNextChunk(statements, job));) {
        findings.push(finding);
        // Let the event loop turn between chunks.
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      db.close();
    }
    for (const own of await workers) findings.push(...own);
    findings.sort((a, b) => a.from - b.from);
    const broken = findings.find((f) => f.broken)?.broken;
    if (broken) return { broken };
    return { broken: findings.at(-1)?.last === recorded.hash ? undefined : { seq: recorded.seq, reason: "head-mismatch" } };
  }

  async close(): Promise<void> {
    await this.thread?.close();
    return attempt(() => {
      if (this.db.open) this.db.close();
    });
  }
}

function verifyInWorker(path: string, job: ChunkJob): Promise<ChunkFinding[]> {
  return new Promise((resolve, reject) => {
    // No execArgv: the worker is plain JavaScript and needs none of the parent's loaders.
    const workerData = { path, to: job.to, chunkRows: job.chunkRows, counter: job.counter.buffer };
    const worker = new Worker(new URL("./verify-chunks-worker.mjs", import.meta.url), { workerData, execArgv: [] });
    worker.once("message", resolve);
    worker.once("error", reject);
    worker.once("exit", (code) => (code === 0 ? undefined : reject(new Error(`verify worker exited with ${code}`))));
  });
}

/** Seals, inserts and commits rows on the store's own connection, in one go, with what derives from them. */
function commitRows(appender: SqliteAppender, rows: readonly PendingRow[], beforeCommit: ((base: number) => void) | undefined): SqliteGroup {
  appender.add(rowFields(rows), true, true);
  return appender.commit(beforeCommit);
}

/**
 * Gives each row its `prev`, the hash of the row before it, looked up only where that row was not
 * read too. Sets it on the driver's fresh row objects rather than copying them: verify reads every row.
 */
function withPrev(rows: Omit<StoredRow, "prev">[], hashAt: (seq: number) => Digest): StoredRow[] {
  let previous: Omit<StoredRow, "prev"> | undefined;
  for (const row of rows) {
    (row as { prev?: Digest }).prev = previous && previous.seq === row.seq - 1 ? previous.hash : row.seq === 1 ? GENESIS_HASH : hashAt(row.seq - 1);
    previous = row;
  }
  return rows as StoredRow[];
}

/** Runs `work` again while it fails with SQLITE_BUSY, up to `timeoutMs`, sleeping a little more each time. */
function whileBusy(timeoutMs: number, work: () => void): void {
  const deadline = Date.now() + timeoutMs;
  for (let pause = 2; ; pause = Math.min(pause * 2, 100)) {
    try {
      return work();
    } catch (error) {
      if ((error as { code?: unknown }).code !== "SQLITE_BUSY" || Date.now() > deadline) throw error;
      // A synchronous sleep: the store is being constructed, nothing else can run on it yet.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, pause);
    }
  }
}

function migrate(db: Database.Database): void {
  // Read first, without the write lock: a writer thread of this process may hold it while this thread runs.
  const latest = SQLITE_MIGRATIONS.at(-1)?.version ?? 0;
  if ((db.pragma("user_version", { simple: true }) as number) >= latest) return;
  const apply = db.transaction(() => {
    const current = db.pragma("user_version", { simple: true }) as number;
    for (const migration of SQLITE_MIGRATIONS) {
      if (migration.version <= current) continue;
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }
  });
  apply.immediate();
}

async function attempt<T>(operation: () => T): Promise<T> {
  try {
    return operation();
  } catch (cause) {
    throw sqliteError(cause);
  }
}

/** Creates an empty file, readable by its owner only, unless one exists already (then it is left as it is). */
function createPrivateFile(path: string): void {
  try {
    closeSync(openSync(path, "wx", 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
}
