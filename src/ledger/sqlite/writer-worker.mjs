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
  return { db, appender: new SqliteAppender(db) };
}

let ledger;
try {
  ledger = open();
} catch (error) {
  parentPort.postMessage({ fatal: describe(error) });
  parentPort.close();
}

parentPort.on("message", (message) => {
  const { db, appender } = ledger;
  switch (message.op) {
    case "rows":
      appender.add(message.types, message.projects, message.bodies.split("\n"), message.first, message.last);
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
      break;
    case "close":
      appender.abort();
      db.close();
      parentPort.close();
      break;
  }
});
