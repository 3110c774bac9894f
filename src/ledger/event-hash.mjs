// @ts-check
// The hash of one ledger event, shared by the Ledger and the SQLite writer and verify threads.
// Plain JavaScript, so it loads the same from src/ and dist/ and in worker threads.
import { hash } from "node:crypto";

/** Names the preimage layout below; bump it if the layout ever changes. */
export const EVENT_HASH_SCHEMA = "runledger.event.v1";

/** The `prev` of the first event. */
export const GENESIS_HASH = `sha256:${"0".repeat(64)}`;

/**
 * sha256 over the schema name, the event's sequence number, the previous event's hash, its project,
 * its type and its canonical JSON body, one per line; `tail` is the last three, already joined.
 * @param {number} seq
 * @param {string} prev
 * @param {string} tail
 * @returns {`sha256:${string}`}
 */
export function hashEventTail(seq, prev, tail) {
  return `sha256:${hashEventTailHex(seq, prev, tail)}`;
}

/**
 * hashEventTail() without the `sha256:` prefix.
 * @param {number} seq
 * @param {string} prev
 * @param {string} tail
 * @returns {string}
 */
export function hashEventTailHex(seq, prev, tail) {
  return hash("sha256", `${EVENT_HASH_SCHEMA}\n${seq}\n${prev}\n${tail}`, "hex");
}
