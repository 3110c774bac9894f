// Verifies one range of a SQLite ledger's hash chain in a worker thread. Plain JavaScript, so it
// loads the same from src/ and dist/. The preimage layout is hash-chain.ts's `runledger.event.v1`;
// the SQLite conformance test holds this file's verdicts equal to the in-process verifier's.
import { hash } from "node:crypto";
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";

const { path, from, to, prev: firstPrev } = workerData;
const db = new Database(path, { readonly: true, fileMustExist: true });
// Mapped pages spare a read() and a copy per page; the 1 GiB cap is address space, not memory.
db.pragma("mmap_size = 1073741824");
// The preimage's tail (project, type, body) comes joined from SQLite: one string per row to make, not three.
const rows = db.prepare("SELECT seq, project || char(10) || type || char(10) || body, hash FROM events WHERE seq >= ? AND seq <= ? ORDER BY seq").raw(true);
let expected = from;
let prev = firstPrev;
let broken;
const PAGE = 10_000;
outer: for (let low = from; low <= to && !broken; low += PAGE) {
  for (const [seq, tail, stored] of rows.all(low, Math.min(to, low + PAGE - 1))) {
    if (seq !== expected) {
      broken = { seq: expected, reason: "sequence-gap" };
      break outer;
    }
    if (`sha256:${hash("sha256", `runledger.event.v1\n${seq}\n${prev}\n${tail}`, "hex")}` !== stored) {
      broken = { seq, reason: "hash-mismatch" };
      break outer;
    }
    prev = stored;
    expected = seq + 1;
  }
}
// Rows ending before the recorded head: a truncated tail, reported as the Ledger's own pass does.
if (!broken && expected !== to + 1) broken = { seq: expected, reason: "head-mismatch" };
db.close();
parentPort.postMessage({ broken, last: prev });
