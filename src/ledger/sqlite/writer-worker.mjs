// @ts-check
// A SQLite ledger's writer thread: seals, inserts and commits the rows the Ledger sends while the
// Ledger prepares the next ones, over a connection of its own. Replies to each commit, in order, or
// once with `fatal` when it cannot open the ledger. Plain JavaScript, so it loads the same from src/ and dist/.
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import { ReadModelSql } from "./read-model-sql.mjs";
import { SqliteAppender } from "./sqlite-appender.mjs";

// Started as a worker thread (writer-thread.ts), so there is a parent port.
const port = /** @type {import("node:worker_threads").MessagePort} */ (parentPort);

/**
 * What the Ledger's thread sends: a chunk of rows (project, type and body of each, joined by newlines), or an order.
 * A commit may carry the read models' writes, derived by the Ledger's thread for the head `expect`.
 * @typedef {import("./read-model-sql.d.mts").FlatWrites} FlatWrites
 * @typedef {{ op: "rows", rows: string, first: boolean, last: boolean } | { op: "drop" } | { op: "commit", expect?: number, writes?: FlatWrites } | { op: "abort" } | { op: "close" }} Message
 */

/**
 * An error as plain data: one thrown here would reach the other thread without its message.
 * @param {unknown} error
 */
const describe = (error) => ({
  message: error instanceof Error ? error.message : String(error),
  code: /** @type {{ code?: unknown } | null | undefined} */ (error)?.code,
});

function open() {
  /** @type {import("./writer-thread.js").WriterThreadOptions} */
  const { path, durability, busyTimeoutMs, readModels } = workerData;
  const db = new Database(path, { timeout: busyTimeoutMs, fileMustExist: true });
  db.pragma(`synchronous = ${durability === "full" ? "FULL" : "NORMAL"}`);
  // Checkpoints run after a commit's reply is sent (below), not inside the commit that crosses SQLite's threshold.
  db.pragma("wal_autocheckpoint = 0");
  return { db, appender: new SqliteAppender(db), models: readModels ? new ReadModelSql(db) : undefined };
}

/** Body bytes written since the last checkpoint: about what the write-ahead log grew by. */
let written = 0;
const CHECKPOINT_BYTES = 8 * 1024 * 1024;
/** @type {ReturnType<typeof open>} */
let ledger;
try {
  ledger = open();
} catch (error) {
  port.postMessage({ fatal: describe(error) });
  port.close();
}

/**
 * A checkpoint that fails is tried again after the next commit; it never answers for a commit.
 * @param {import("better-sqlite3").Database} db
 */
function checkpoint(db) {
  written = 0;
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch {
    written = CHECKPOINT_BYTES;
  }
}

port.on("message", (/** @type {Message} */ message) => {
  const { db, appender, models } = ledger;
  switch (message.op) {
    case "rows":
      written += message.rows.length;
      appender.add(message.rows.split("\n"), message.first, message.last);
      break;
    case "drop":
      appender.drop();
      break;
    case "commit":
      try {
        const { writes, expect } = message;
        // Derived for another head (another process appended first): the group stays open, under
        // the write lock, while the Ledger's thread derives again for the head it follows.
        if (writes && !appender.failed && appender.base() !== expect) {
          port.postMessage({ stale: appender.base() });
          break;
        }
        const group = appender.commit(writes && models ? () => models.apply(writes) : undefined);
        port.postMessage({ seq: group.seq, prev: group.prev, hashes: group.hashes.join("\n") });
      } catch (error) {
        port.postMessage({ error: describe(error) });
      }
      if (written >= CHECKPOINT_BYTES) checkpoint(db);
      break;
    case "abort":
      appender.abort();
      port.postMessage({ error: { message: "the group was given up" } });
      break;
    case "close":
      appender.abort();
      db.close();
      port.close();
      break;
  }
});
