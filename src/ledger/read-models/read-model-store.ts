import type { StoredRow } from "../hash-chain.js";
import type { Derivation } from "./derive-group.js";
import type { DocCollection, DocSource, ItemCollection } from "./read-model-writes.js";

/**
 * Derives one committing group's writes, given the seq its events follow and the documents before
 * it. `behind` holds the stored events the models do not reflect yet (appended by a writer that
 * keeps no models), read under the same write lock: they are derived first, so models never skip one.
 */
export type GroupDeriver = (base: number, source: DocSource, behind: readonly StoredRow[]) => Derivation;

/** Derives the writes of stored rows (a page of the chain during a rebuild). */
export type RowsDeriver = (rows: readonly StoredRow[], source: DocSource) => Derivation;

/** The code version the stored models were derived by and the last event they reflect; version null when never built. */
export interface ReadModelStatus {
  readonly version: string | null;
  readonly seq: number;
}

/** Runs as the listing finds them: newest request first. */
export interface RunListQuery {
  readonly project?: string | undefined;
  readonly pipeline?: string | undefined;
  readonly statuses?: readonly string[] | undefined;
  readonly workMode?: string | undefined;
  /** ISO times: requested at or after `since`, before `until`. */
  readonly since?: string | undefined;
  readonly until?: string | undefined;
  /** Only runs requested before this seq (the request seq of the last run of the previous page). */
  readonly beforeSeq?: number | undefined;
  readonly limit: number;
}

export interface RunListRow {
  readonly run_id: string;
  readonly request_seq: number;
}

export interface ItemQuery {
  readonly runId?: string | undefined;
  readonly kinds?: readonly string[] | undefined;
  readonly afterSeq?: number | undefined;
}

/** An artifact stored under an attempt and a name ("" where the event named none), as first seen. */
export interface ArtifactRef {
  readonly attempt_id: string;
  readonly name: string;
  readonly size_bytes: number;
  readonly seq: number;
}

/** One stored row of any table, as verify compares it with a fresh derivation. */
export interface ReadModelRow {
  readonly table: "docs" | "runs" | "items" | "refs";
  /** The row's identity in its table. */
  readonly key: string;
  /** Its content, without the seq of the commit that last wrote it (which depends on how events were grouped). */
  readonly value: string;
}

/** The indexed reads of the read models; every backend answers them with one query each. */
export interface ReadModelQueries {
  /** Documents' JSON by key; keys not found are absent. */
  docs(collection: DocCollection, keys: readonly string[]): Promise<Map<string, string>>;
  /** Every document of a run in one collection (tasks, attempts, gates, debug), in key order. */
  docsOfRun(collection: DocCollection, runId: string): Promise<string[]>;
  /** The `limit` gates written last (evaluated or decided), the last first. */
  recentGates(limit: number): Promise<string[]>;
  /** Every document of a collection, in key order: for the small ones (watermarks, suggestions, gates, debug). */
  allDocs(collection: DocCollection): Promise<string[]>;
  runs(query: RunListQuery): Promise<RunListRow[]>;
  /** Run ids starting with `prefix`, at most `limit`. */
  runIdsByPrefix(prefix: string, limit: number): Promise<string[]>;
  /** The seq of a run's request (where a listing before it starts); undefined for an unknown run. */
  requestSeq(runId: string): Promise<number | undefined>;
  /** Entries of a list in ledger order. */
  items(collection: ItemCollection, query?: ItemQuery): Promise<string[]>;
  /** The references of an artifact (each attempt and name that stored it, "" for none), first sighting first. */
  artifactRefs(digest: string): Promise<ArtifactRef[]>;
  /** Digests stored by `attempt` under `name`. */
  artifactsOf(attempt: string, name: string): Promise<string[]>;
}

/** The read models a ledger store keeps beside its events, in its own database. */
export interface ReadModelStore {
  readonly query: ReadModelQueries;
  status(): Promise<ReadModelStatus>;
  /**
   * Clears the models and derives them again from the whole chain, in one transaction under the
   * write lock: a rebuild killed half-way leaves the old models (or none), and the next open runs it again.
   */
  rebuild(derive: RowsDeriver, version: string, onProgress?: (seq: number, head: number) => void): Promise<void>;
  /** Derives the events the models do not reflect yet, under the write lock; resolves to how many. */
  catchUp(derive: RowsDeriver): Promise<number>;
  /** Every stored row, ordered by table and key. */
  rows(): AsyncIterable<ReadModelRow>;
}
