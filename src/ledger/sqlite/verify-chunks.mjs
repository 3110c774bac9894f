// Verifies a SQLite ledger's hash chain chunk by chunk, in whichever threads take part: each takes
// the next chunk from a counter they share, so a thread that starts late or runs slow takes fewer.
// Plain JavaScript, so it loads the same from src/ and dist/ and in worker threads. The SQLite
// conformance test holds these verdicts equal to the in-process verifier's.
import { GENESIS_HASH, hashEventTail } from "../event-hash.mjs";

/** The statements one thread needs, on its own read-only connection. */
export function chunkStatements(db) {
  // Mapped pages spare a read() and a copy per page; the 1 GiB cap is address space, not memory.
  db.pragma("mmap_size = 1073741824");
  return {
    // The preimage's tail (project, type, body) comes joined from SQLite: one string per row to make, not three.
    rows: db.prepare("SELECT seq, project || char(10) || type || char(10) || body, hash FROM events WHERE seq >= ? AND seq <= ? ORDER BY seq").raw(true),
    hashAt: db.prepare("SELECT hash FROM events WHERE seq = ?").pluck(true),
  };
}

/**
 * Takes the next chunk from the shared counter and verifies it; returns its finding, or undefined
 * when no chunk is left. A break stops every thread from taking more chunks.
 * A finding is `{ from, broken, last }`: the first break in the chunk, if any, and its last hash.
 */
export function verifyNextChunk(statements, { to, chunkRows, counter }) {
  const index = Atomics.add(counter, 0, 1);
  const from = index * chunkRows + 1;
  if (from > to) return undefined;
  const end = Math.min(to, from + chunkRows - 1);
  let prev = from === 1 ? GENESIS_HASH : (statements.hashAt.get(from - 1) ?? GENESIS_HASH);
  let expected = from;
  let broken;
  for (const [seq, tail, stored] of statements.rows.all(from, end)) {
    if (seq !== expected) {
      broken = { seq: expected, reason: "sequence-gap" };
      break;
    }
    if (hashEventTail(seq, prev, tail) !== stored) {
      broken = { seq, reason: "hash-mismatch" };
      break;
    }
    prev = stored;
    expected = seq + 1;
  }
  // Rows ending early: a gap before the next chunk's rows, or a truncated tail before the recorded head.
  if (!broken && expected !== end + 1) broken = { seq: expected, reason: end === to ? "head-mismatch" : "sequence-gap" };
  if (broken) Atomics.store(counter, 0, Math.ceil(to / chunkRows) + 1);
  return { from, broken, last: prev };
}
