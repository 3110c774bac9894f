import { Worker } from "node:worker_threads";
import { RunledgerError } from "../../core/errors.js";
import type { PendingRow } from "../hash-chain.js";
import type { LedgerWriter, SealedGroup } from "../ledger-store.js";
import type { GroupDeriver } from "../read-models/read-model-store.js";
import type { FlatWrites } from "./read-model-sql.d.mts";

export interface WriterThreadOptions {
  readonly path: string;
  readonly durability: "full" | "normal";
  readonly busyTimeoutMs: number;
  /** Whether commits carry read models' writes (the thread applies them before COMMIT). */
  readonly readModels: boolean;
}

/**
 * Derives a group's read-model writes on the Ledger's thread, from the models as last committed:
 * `expect` is the head they reflect, which the thread checks under the write lock. `at`, when
 * given, is the head the thread found instead: the models must reflect it by now.
 */
export type DeriveForThread = (derive: GroupDeriver, at?: number) => { expect: number; writes: FlatWrites };

interface Reply {
  /** The group's rows follow another head than the writes were derived for: derive again for this one. */
  readonly stale?: number;
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
  private readonly pending: { resolve(group: SealedGroup): void; reject(error: unknown): void; derive: GroupDeriver | undefined; failure?: unknown }[] = [];
  private failure: RunledgerError | undefined;

  constructor(
    private readonly options: WriterThreadOptions,
    private readonly deriveHere?: DeriveForThread,
  ) {}

  send(rows: readonly PendingRow[], first: boolean, last: boolean): void {
    // One string carries the chunk, copied in one piece: projects and types hold no newline, and canonical JSON never a raw one.
    this.post({ op: "rows", rows: rowFields(rows).join("\n"), first, last });
  }

  drop(): void {
    this.post({ op: "drop" });
  }

  /**
   * With `derive`, the writes are derived here while the thread seals, for the head the models
   * reflect now; if another process appended first, the thread asks again (see the worker).
   */
  commit(derive?: GroupDeriver): Promise<SealedGroup> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const waiter: (typeof this.pending)[number] = { resolve, reject, derive };
      this.pending.push(waiter);
      this.thread().ref();
      this.postCommit(waiter);
    });
  }

  private derived(derive: GroupDeriver | undefined, at?: number): { expect?: number; writes?: FlatWrites } {
    if (!derive || !this.deriveHere) return {};
    return this.deriveHere(derive, at);
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
      if (reply.stale !== undefined) return this.deriveAgain(reply.stale);
      const waiter = this.pending.shift();
      if (this.pending.length === 0) worker.unref();
      if (waiter?.failure !== undefined) waiter.reject(waiter.failure);
      else if (reply.error) waiter?.reject(sqliteError(threadError(reply.error)));
      else waiter?.resolve({ seq: reply.seq, prev: reply.prev, hashes: reply.hashes === "" ? [] : (reply.hashes.split("\n") as SealedGroup["hashes"]) });
    });
    worker.on("error", (error) => this.fail(error));
    worker.on("exit", (code) => this.fail(new Error(`the ledger's writer thread exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  /** Sends the commit with its writes; if they cannot be derived, the thread gives the group up and the commit fails with why. */
  private postCommit(waiter: (typeof this.pending)[number], at?: number): void {
    try {
      this.post({ op: "commit", ...this.derived(waiter.derive, at) });
    } catch (error) {
      waiter.failure = error;
      this.post({ op: "abort" });
    }
  }

  /** The thread holds the group open for a head the writes were not derived for: derive for that one. */
  private deriveAgain(at: number): void {
    const waiter = this.pending[0];
    if (waiter) this.postCommit(waiter, at);
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

/** A SQLite failure as ERR_STORAGE, keeping SQLite's code (SQLITE_BUSY, SQLITE_FULL, …); a RunledgerError (read models' drift) as it is. */
export function sqliteError(cause: unknown): RunledgerError {
  if (cause instanceof RunledgerError) return cause;
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new RunledgerError("ERR_STORAGE", { detail: `sqlite: ${detail}`, cause, context: { code: (cause as { code?: unknown }).code } });
}

function threadError(error: ThreadError): Error {
  return Object.assign(new Error(error.message), { code: error.code });
}
