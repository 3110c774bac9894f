import type { Digest } from "../core/digest.js";
import { EVENT_HASH_SCHEMA, GENESIS_HASH, hashEventTail } from "./event-hash.mjs";

export { EVENT_HASH_SCHEMA, GENESIS_HASH };

/** The position of the chain's last event; `seq` 0 with GENESIS_HASH for an empty ledger. */
export interface ChainHead {
  readonly seq: number;
  readonly hash: Digest;
}

/** An event before sealing: `body` is the canonical JSON of `{actor, at, data}`. */
export interface PendingRow {
  readonly type: string;
  readonly project: string;
  readonly body: string;
}

/** An event as a backend stores it. */
export interface StoredRow extends PendingRow {
  readonly seq: number;
  readonly prev: Digest;
  readonly hash: Digest;
}

/**
 * The hash of one event: sha256 over the schema name, its sequence number, the previous event's
 * hash, its project, its type and its canonical JSON body, one per line. Binding `seq` and `prev`
 * makes any change, deletion, insertion or reordering break the chain from that event on.
 */
export function hashEvent(seq: number, prev: string, project: string, type: string, body: string): Digest {
  return hashEventTail(seq, prev, `${project}\n${type}\n${body}`);
}

/** Numbers and chains pending rows after `head`. Backends call it while holding their write lock. */
export function sealRows(head: ChainHead, pending: readonly PendingRow[]): StoredRow[] {
  let { seq, hash: prev } = head;
  return pending.map((row) => {
    seq += 1;
    const hash = hashEvent(seq, prev, row.project, row.type, row.body);
    const sealed: StoredRow = { seq, prev, hash, type: row.type, project: row.project, body: row.body };
    prev = hash;
    return sealed;
  });
}

/** Where and why a chain check failed. */
export interface ChainBreak {
  readonly seq: number;
  readonly reason: "sequence-gap" | "prev-mismatch" | "hash-mismatch" | "head-mismatch";
}

/** Checks consecutive pages of rows, in order, carrying state across pages. */
export class ChainVerifier {
  private expected: ChainHead = { seq: 0, hash: GENESIS_HASH };
  private broken: ChainBreak | undefined;

  /** Feeds the next rows; returns the first break found so far, if any. */
  feed(rows: readonly StoredRow[]): ChainBreak | undefined {
    if (this.broken) return this.broken;
    let { seq, hash } = this.expected;
    for (const row of rows) {
      const reason =
        row.seq !== seq + 1
          ? "sequence-gap"
          : row.prev !== hash
            ? "prev-mismatch"
            : hashEvent(row.seq, row.prev, row.project, row.type, row.body) !== row.hash
              ? "hash-mismatch"
              : undefined;
      if (reason) {
        this.broken = { seq: reason === "sequence-gap" ? seq + 1 : row.seq, reason };
        return this.broken;
      }
      seq = row.seq;
      hash = row.hash;
    }
    this.expected = { seq, hash };
    return undefined;
  }

  /** Ends the check against the head the backend recorded; a truncated tail shows here. */
  finish(recorded: ChainHead): ChainBreak | undefined {
    if (this.broken) return this.broken;
    if (recorded.seq !== this.expected.seq || recorded.hash !== this.expected.hash) {
      this.broken = { seq: Math.min(recorded.seq, this.expected.seq) + 1, reason: "head-mismatch" };
    }
    return this.broken;
  }

  get checked(): number {
    return this.expected.seq;
  }

  get head(): ChainHead {
    return this.expected;
  }
}
