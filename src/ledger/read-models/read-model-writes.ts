/**
 * The read models' storage shape, shared by every backend: documents keyed by collection and key,
 * the run listing, append-only items, and artifact references. Derivation (derive-group.ts) turns
 * a group of events into these writes; a backend applies them in the transaction that appends the events.
 */

/** Keyed documents: one JSON document per run, task, attempt, gate, watermark, cache entry, suggestion, debug packet. */
export const DOC_COLLECTIONS = ["runs", "tasks", "attempts", "gates", "watermarks", "cache", "suggestions", "debug"] as const;
export type DocCollection = (typeof DOC_COLLECTIONS)[number];

/** Append-only lists, ordered by the seq of the event that added each entry. */
export const ITEM_COLLECTIONS = ["admin", "stop_rules", "violations"] as const;
export type ItemCollection = (typeof ITEM_COLLECTIONS)[number];

/** What a backend answers for a document it was not given (see derive-group.ts): the deriver asks again with it. */
export const MISSING: unique symbol = Symbol("missing");

/** Documents as stored, read inside the deriving transaction: JSON text, null when absent, MISSING when not fetched yet. */
export interface DocSource {
  get(collection: DocCollection, key: string): string | null | typeof MISSING;
}

/**
 * One group's writes, flattened into arrays of primitives so that they cross to a writer thread
 * cheaply: `docs` holds collection, key, run id, seq (of the last event that read or set it) and JSON
 * of each upserted document in turn;
 * `runs` run id, request seq, project, pipeline, status, work mode and request time of each run
 * (all but the request seq follow the run's document); `items` collection, seq, position, run id, kind and
 * JSON of each new entry; `refs` digest, attempt id and name (each "" when the event has none), size
 * and seq of each artifact reference: one row per artifact stored under an attempt and name, the first kept.
 */
export interface ReadModelWrites {
  /** The seq of the last event the writes reflect. */
  readonly seq: number;
  readonly docs: (string | number | null)[];
  readonly runs: (string | number)[];
  readonly items: (string | number | null)[];
  readonly refs: (string | number)[];
}

export const DOC_FIELDS = 5;
export const RUN_FIELDS = 7;
export const ITEM_FIELDS = 6;
export const REF_FIELDS = 5;

/** A document key made of a run id and a name (a task's): JSON keeps it unambiguous. */
export function runScopedKey(runId: string, name: string): string {
  return JSON.stringify([runId, name]);
}

export function emptyWrites(seq: number): ReadModelWrites {
  return { seq, docs: [], runs: [], items: [], refs: [] };
}
