// @ts-check
// Verifies a SQLite ledger's hash chain chunk by chunk, in whichever threads take part: each takes
// the next chunk from a counter they share, so a thread that starts late or runs slow takes fewer.
// Plain JavaScript, so it loads the same from src/ and dist/ and in worker threads. The SQLite
// conformance test holds these verdicts equal to the in-process verifier's.
import { GENESIS_HASH, hashEventTail, hashEventTailHex } from "../event-hash.mjs";

/** @typedef {import("better-sqlite3").Statement} Statement */
/** @typedef {{ joined: Statement, rows: Statement, hashAt: Statement }} Statements */
/** @typedef {import("./verify-chunks.d.mts").ChunkFinding} ChunkFinding */
/** @typedef {import("./verify-chunks.d.mts").ChunkBreak} ChunkBreak */

const PREFIX = "sha256:";
const HASH_LENGTH = GENESIS_HASH.length;

/**
 * The statements one thread needs, on its own read-only connection.
 * @param {import("better-sqlite3").Database} db
 * @returns {Statements}
 */
export function chunkStatements(db) {
  // Mapped pages spare a read() and a copy per page; the 1 GiB cap is address space, not memory.
  db.pragma("mmap_size = 1073741824");
  const range = "FROM events WHERE seq >= ? AND seq <= ? ORDER BY seq";
  return {
    // Each row as one string, the preimage's tail (project, type, body) then the stored hash: one
    // string to make per row, no array. None of them holds a raw newline.
    joined: db.prepare(`SELECT project || char(10) || type || char(10) || body || char(10) || hash ${range}`).pluck(true),
    rows: db.prepare(`SELECT seq, project || char(10) || type || char(10) || body, hash ${range}`).raw(true),
    hashAt: db.prepare("SELECT hash FROM events WHERE seq = ?").pluck(true),
  };
}

/**
 * Takes the next chunk from the shared counter and verifies it; returns its finding, or undefined
 * when no chunk is left. A break stops every thread from taking more chunks.
 * A finding is `{ from, broken, last }`: the first break in the chunk, if any, and its last hash.
 * @param {Statements} statements
 * @param {import("./verify-chunks.d.mts").ChunkJob} job
 * @returns {ChunkFinding | undefined}
 */
export function verifyNextChunk(statements, { to, chunkRows, counter }) {
  const index = Atomics.add(counter, 0, 1);
  const from = index * chunkRows + 1;
  if (from > to) return undefined;
  const end = Math.min(to, from + chunkRows - 1);
  const first = from === 1 ? GENESIS_HASH : (/** @type {string | undefined} */ (statements.hashAt.get(from - 1)) ?? GENESIS_HASH);
  const last = intactChunk(statements, from, end, first);
  if (last !== undefined) return { from, broken: undefined, last };
  const finding = findBreak(statements, from, end, to, first);
  if (finding.broken) Atomics.store(counter, 0, Math.ceil(to / chunkRows) + 1);
  return finding;
}

/**
 * The fast pass: the chunk's last hash if it holds every event from `from` to `end` (the count
 * says no seq is missing, as seq is unique and in range) and each hashes right; otherwise undefined.
 * @param {Statements} statements
 * @param {number} from
 * @param {number} end
 * @param {string} first
 * @returns {string | undefined}
 */
function intactChunk(statements, from, end, first) {
  const rows = /** @type {string[]} */ (statements.joined.all(from, end));
  if (rows.length !== end - from + 1) return undefined;
  let prev = first;
  for (let i = 0; i < rows.length; i++) {
    const row = /** @type {string} */ (rows[i]);
    const cut = row.lastIndexOf("\n");
    const stored = row.slice(cut + 1);
    // Compared as hex: no `sha256:<hex>` string to build for every event.
    const hex = hashEventTailHex(from + i, prev, row.slice(0, cut));
    if (stored.length !== HASH_LENGTH || !stored.startsWith(PREFIX) || !stored.endsWith(hex)) return undefined;
    prev = stored;
  }
  return prev;
}

/**
 * The slow pass, for a chunk the fast one refused: the first break, named as the Ledger's own pass names it.
 * @param {Statements} statements
 * @param {number} from
 * @param {number} end
 * @param {number} to
 * @param {string} first
 * @returns {ChunkFinding}
 */
function findBreak(statements, from, end, to, first) {
  let prev = first;
  let expected = from;
  /** @type {ChunkBreak | undefined} */
  let broken;
  for (const [seq, tail, stored] of /** @type {[number, string, string][]} */ (statements.rows.all(from, end))) {
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
  return { from, broken, last: prev };
}
