import { Worker } from "node:worker_threads";
import { RunledgerError } from "../../core/errors.js";
import type { PendingRow } from "../hash-chain.js";
import type { LedgerWriter, SealedGroup } from "../ledger-store.js";

export interface WriterThreadOptions {
  readonly path: string;
  readonly durability: "full" | "normal";
  readonly busyTimeoutMs: number;
}

interface Reply {
  readonly seq: number;
  readonly prev: SealedGroup["prev"];
  readonly hashes: string;
  readonly error?: ThreadError;
  readonly fatal?: ThreadError;
}

interface ThreadError {
  readonly message: string;
  readonly code?: unknown;
}

/**
 * The writer of a SQLite ledger file: a worker thread with a connection of its own seals, inserts
 * and commits the rows this thread sends while this thread prepares the next ones, and no insert or
 * fsync blocks this thread's event loop. The thread starts with the first rows and keeps the process
 * alive only while a commit is pending. If it dies, its pending commits fail and so does every later one.
 */
export class WriterThread implements LedgerWriter {
  private worker: Worker | undefined;
  private exited: Promise<unknown> = Promise.resolve();
  private readonly pending: { resolve(group: SealedGroup): void; reject(error: unknown): void }[] = [];
  private failure: RunledgerError | undefined;

  constructor(private readonly options: WriterThreadOptions) {}

  send(rows: readonly PendingRow[], first: boolean, last: boolean): void {
    // One string carries the chunk, copied in one piece: projects and types hold no newline, and canonical JSON never a raw one.
    this.post({ op: "rows", rows: rowFields(rows).join("\n"), first, last });
  }

  drop(): void {
    this.post({ op: "drop" });
  }

  commit(): Promise<SealedGroup> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.thread().ref();
      this.post({ op: "commit" });
    });
  }

  /** Rolls back rows not committed and ends the thread. */
  async close(): Promise<void> {
    this.failure ??= sqliteError(new Error("the ledger is closed"));
    // Referenced again: an unreferenced thread's exit would not keep this process waiting for it.
    this.worker?.ref();
    this.worker?.postMessage({ op: "close" });
    await this.exited;
  }

  private post(message: object): void {
    if (!this.failure) this.thread().postMessage(message);
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    // No execArgv: the worker is plain JavaScript and needs none of the parent's loaders.
    const worker = new Worker(new URL("./writer-worker.mjs", import.meta.url), { workerData: { ...this.options }, execArgv: [] });
    worker.unref();
    this.exited = new Promise((resolve) => worker.once("exit", resolve));
    worker.on("message", (reply: Reply) => {
      if (reply.fatal) return this.fail(threadError(reply.fatal));
      const waiter = this.pending.shift();
      if (this.pending.length === 0) worker.unref();
      if (reply.error) waiter?.reject(sqliteError(threadError(reply.error)));
      else waiter?.resolve({ seq: reply.seq, prev: reply.prev, hashes: reply.hashes === "" ? [] : (reply.hashes.split("\n") as SealedGroup["hashes"]) });
    });
    worker.on("error", (error) => this.fail(error));
    worker.on("exit", (code) => this.fail(new Error(`the ledger's writer thread exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  private fail(cause: unknown): void {
    this.failure ??= sqliteError(cause);
    for (const waiter of this.pending.splice(0)) waiter.reject(this.failure);
  }
}

/** The rows' project, type and body in turn, as SqliteAppender.add() takes them. */
export function rowFields(rows: readonly PendingRow[]): string[] {
  const fields = new Array<string>(rows.length * 3);
  let f = 0;
  for (const row of rows) {
    fields[f++] = row.project;
    fields[f++] = row.type;
    fields[f++] = row.body;
  }
  return fields;
}

/** A SQLite failure as ERR_STORAGE, keeping SQLite's code (SQLITE_BUSY, SQLITE_FULL, …). */
export function sqliteError(cause: unknown): RunledgerError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new RunledgerError("ERR_STORAGE", { detail: `sqlite: ${detail}`, cause, context: { code: (cause as { code?: unknown }).code } });
}

function threadError(error: ThreadError): Error {
  return Object.assign(new Error(error.message), { code: error.code });
}
