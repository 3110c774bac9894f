// A SQLite ledger's writer thread: seals, inserts and commits the rows the Ledger sends while the
// Ledger prepares the next ones, over a connection of its own. Replies to each commit, in order, or
// once with `fatal` when it cannot open the ledger. Plain JavaScript, so it loads the same from src/ and dist/.
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import { SqliteAppender } from "./sqlite-appender.mjs";

/** An error as plain data: one thrown here would reach the other thread without its message. */
const describe = (error) => ({ message: error instanceof Error ? error.message : String(error), code: error?.code });

function open() {
  const { path, durability, busyTimeoutMs } = workerData;
  const db = new Database(path, { timeout: busyTimeoutMs, fileMustExist: true });
  db.pragma(`synchronous = ${durability === "full" ? "FULL" : "NORMAL"}`);
  // Checkpoints run after a commit's reply is sent (below), not inside the commit that crosses SQLite's threshold.
  db.pragma("wal_autocheckpoint = 0");
  return { db, appender: new SqliteAppender(db) };
}

/** Body bytes written since the last checkpoint: about what the write-ahead log grew by. */
let written = 0;
const CHECKPOINT_BYTES = 8 * 1024 * 1024;
let ledger;
try {
  ledger = open();
} catch (error) {
  parentPort.postMessage({ fatal: describe(error) });
  parentPort.close();
}

/** A checkpoint that fails is tried again after the next commit; it never answers for a commit. */
function checkpoint(db) {
  written = 0;
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch {
    written = CHECKPOINT_BYTES;
  }
}

parentPort.on("message", (message) => {
  const { db, appender } = ledger;
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
        const group = appender.commit();
        parentPort.postMessage({ seq: group.seq, prev: group.prev, hashes: group.hashes.join("\n") });
      } catch (error) {
        parentPort.postMessage({ error: describe(error) });
      }
      if (written >= CHECKPOINT_BYTES) checkpoint(db);
      break;
    case "close":
      appender.abort();
      db.close();
      parentPort.close();
      break;
  }
});
