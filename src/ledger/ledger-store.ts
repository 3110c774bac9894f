import type { ChainBreak, ChainHead, PendingRow, StoredRow } from "./hash-chain.js";

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
  /**
   * Atomically appends the rows after the current head: under the backend's write lock it reads
   * the head, seals the rows with `sealRows`, inserts them and moves the head, or does nothing.
   */
  append(pending: readonly PendingRow[]): Promise<StoredRow[]>;
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
