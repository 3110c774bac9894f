import type { Digest } from "../core/digest.js";
import { GENESIS_HASH, type ChainBreak, type ChainHead, type PendingRow, type StoredRow } from "./hash-chain.js";
import type { GroupDeriver, ReadModelStore } from "./read-models/read-model-store.js";

/** Named differences between backends; callers branch on these, never on a backend's kind. */
export interface LedgerCapabilities {
  readonly backend: string;
  /** Several processes on one machine may append to one ledger at once. */
  readonly multiProcess: boolean;
  /** Processes on several machines may append to one ledger at once. */
  readonly multiMachine: boolean;
  /** Whether each commit is fsynced before append() resolves. */
  readonly durability: "full" | "normal";
}

/** What to scan: events after `afterSeq`, in ascending order, at most `limit`. */
export interface ScanQuery {
  readonly afterSeq: number;
  readonly limit: number;
  readonly project?: string | undefined;
  readonly types?: readonly string[] | undefined;
}

/**
 * The storage port of the ledger. A backend stores sealed rows and nothing else: validation,
 * hashing and projections are the Ledger's. Every implementation passes the ledger conformance suite.
 */
export interface LedgerStore {
  readonly capabilities: LedgerCapabilities;
  /** How the Ledger hands this store its rows; one per store. */
  writer(): LedgerWriter;
  /**
   * The read models kept beside the events, when this store keeps them: every commit then writes
   * what derives from its rows in the same transaction (see LedgerWriter.commit).
   */
  readonly readModels?: ReadModelStore | undefined;
  /** The head as recorded by the last commit. */
  head(): Promise<ChainHead>;
  scan(query: ScanQuery): Promise<StoredRow[]>;
  /**
   * Optionally verifies the chain up to `recorded` faster than scan() allows (e.g. across cores),
   * finding exactly what the Ledger's own pass over scan() would; resolves to undefined to decline.
   */
  verifyChain?(recorded: ChainHead): Promise<{ readonly broken: ChainBreak | undefined } | undefined>;
  close(): Promise<void>;
}

/** A committed group of rows: the head before it (`seq`, and `prev` for its first row), and each row's hash in order. */
export interface SealedGroup {
  readonly seq: number;
  readonly prev: Digest;
  readonly hashes: readonly Digest[];
}

/**
 * How the Ledger hands a store its rows: caller by caller, as they are prepared. `first` opens a
 * caller's part and `last` closes it; drop() discards the open part. commit() atomically appends
 * every kept row sent since the last commit after the current head, or none: under the backend's
 * write lock it reads the head, seals the rows (`sealRows`), inserts them and moves the head.
 * Given `derive` (a store with read models), it also writes the read models' changes that `derive`
 * returns for the head it found and the documents stored before the rows, in the same transaction.
 */
export interface LedgerWriter {
  send(rows: readonly PendingRow[], first: boolean, last: boolean): void;
  drop(): void;
  commit(derive?: GroupDeriver): Promise<SealedGroup>;
}

/**
 * The writer of a store that appends whole batches: rows wait here, and at commit go to `commitRows`
 * in one transaction, so no write lock is held between turns of the event loop.
 */
export class BatchingWriter implements LedgerWriter {
  private rows: PendingRow[] = [];
  private mark = 0;

  constructor(private readonly commitRows: (rows: readonly PendingRow[], derive: GroupDeriver | undefined) => Promise<SealedGroup>) {}

  send(rows: readonly PendingRow[], first: boolean): void {
    if (first) this.mark = this.rows.length;
    for (const row of rows) this.rows.push(row);
  }

  drop(): void {
    this.rows.length = this.mark;
  }

  commit(derive?: GroupDeriver): Promise<SealedGroup> {
    const rows = this.rows;
    this.rows = [];
    this.mark = 0;
    return this.commitRows(rows, derive);
  }
}

/** The group that sealed rows make: the head before the first, and their hashes. */
export function sealedGroup(stored: readonly StoredRow[]): SealedGroup {
  const first = stored[0];
  return { seq: first ? first.seq - 1 : 0, prev: first?.prev ?? GENESIS_HASH, hashes: stored.map((row) => row.hash) };
}
