// @ts-check
// The SQLite tables of a ledger's read models and the statements that write them, on one
// connection, in whichever thread holds it: the store's own for commits made there and for
// rebuilds, the writer thread for the groups it commits. Plain JavaScript, so it loads the same
// from src/ and dist/ and in worker threads. What the rows mean: src/ledger/read-models/.

/** @typedef {import("better-sqlite3").Database} Database */
/** @typedef {import("better-sqlite3").Statement} Statement */

/**
 * Documents live in a rowid table, in the order they were first written, found through the unique
 * index on (collection, key): random keys (digests, cache keys, ids) then dirty small index pages
 * rather than the pages of the documents themselves, which a checkpoint writes back.
 * A run's tasks and gates are found by their keys' prefix (the run id), its attempts and debug
 * packets by the partial index on run_id: the index is not kept up for thousands of task rows a run.
 * Created when missing on open, not by a numbered migration: a table dropped by hand comes back
 * (empty, and so rebuilt) instead of failing every read.
 */
export const READ_MODEL_TABLES = {
  rm_meta: "CREATE TABLE IF NOT EXISTS rm_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT",
  rm_docs: `CREATE TABLE IF NOT EXISTS rm_docs (
      collection TEXT NOT NULL, key TEXT NOT NULL, run_id TEXT, seq INTEGER NOT NULL, doc TEXT NOT NULL,
      UNIQUE (collection, key)) STRICT;
    CREATE INDEX IF NOT EXISTS rm_docs_by_run ON rm_docs (run_id, collection) WHERE collection IN ('attempts', 'debug');
    CREATE INDEX IF NOT EXISTS rm_docs_gates_by_seq ON rm_docs (seq) WHERE collection = 'gates'`,
  rm_runs: `CREATE TABLE IF NOT EXISTS rm_runs (
      run_id TEXT PRIMARY KEY, request_seq INTEGER NOT NULL, project TEXT NOT NULL, pipeline TEXT NOT NULL,
      status TEXT NOT NULL, work_mode TEXT NOT NULL, requested_at_utc TEXT NOT NULL) STRICT;
    CREATE INDEX IF NOT EXISTS rm_runs_by_seq ON rm_runs (request_seq);
    CREATE INDEX IF NOT EXISTS rm_runs_by_pipeline ON rm_runs (pipeline, request_seq)`,
  rm_items: `CREATE TABLE IF NOT EXISTS rm_items (
      collection TEXT NOT NULL, seq INTEGER NOT NULL, position INTEGER NOT NULL, run_id TEXT, kind TEXT, doc TEXT NOT NULL,
      PRIMARY KEY (collection, seq, position)) STRICT, WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS rm_items_by_run ON rm_items (collection, run_id) WHERE run_id IS NOT NULL`,
  rm_refs: `CREATE TABLE IF NOT EXISTS rm_refs (
      digest TEXT NOT NULL, attempt_id TEXT NOT NULL, name TEXT NOT NULL, size_bytes INTEGER NOT NULL, seq INTEGER NOT NULL,
      UNIQUE (digest, attempt_id, name)) STRICT;
    CREATE INDEX IF NOT EXISTS rm_refs_by_attempt ON rm_refs (attempt_id, name)`,
};

/** Rows per multi-row INSERT: one statement per row costs more than the row itself. */
const CHUNK = 32;

/**
 * @param {string} head
 * @param {number} columns
 * @param {number} rows
 * @param {string} tail
 */
function insertSql(head, columns, rows, tail) {
  const row = `(${Array(columns).fill("?").join(", ")})`;
  return `${head} VALUES ${Array(rows).fill(row).join(", ")} ${tail}`;
}

const TABLE_SQL = {
  docs: [
    "INSERT INTO rm_docs (collection, key, run_id, seq, doc)",
    5,
    "ON CONFLICT (collection, key) DO UPDATE SET run_id = excluded.run_id, seq = excluded.seq, doc = excluded.doc",
  ],
  runs: [
    "INSERT INTO rm_runs (run_id, request_seq, project, pipeline, status, work_mode, requested_at_utc)",
    7,
    // The request seq is the first request's (a run's place in the listing); the rest follow the run's document.
    "ON CONFLICT (run_id) DO UPDATE SET project = excluded.project, pipeline = excluded.pipeline, status = excluded.status, work_mode = excluded.work_mode, requested_at_utc = excluded.requested_at_utc",
  ],
  items: ["INSERT INTO rm_items (collection, seq, position, run_id, kind, doc)", 6, ""],
  refs: ["INSERT INTO rm_refs (digest, attempt_id, name, size_bytes, seq)", 5, "ON CONFLICT (digest, attempt_id, name) DO NOTHING"],
};

/** The tables' names, in the order a rebuild clears them. */
export const READ_MODEL_TABLE_NAMES = /** @type {(keyof typeof READ_MODEL_TABLES)[]} */ (Object.keys(READ_MODEL_TABLES));

/** The secondary indexes the tables' statements create; queries name some of them (INDEXED BY). */
const INDEX_NAMES = ["rm_docs_by_run", "rm_docs_gates_by_seq", "rm_runs_by_seq", "rm_runs_by_pipeline", "rm_items_by_run", "rm_refs_by_attempt"];

/**
 * Creates the tables and indexes that are missing; returns whether a table was (its rows, and so
 * the models, are gone: rm_meta is cleared to force a rebuild). A missing index loses nothing.
 * Tables whose models another version of the code derived may have another shape: they are dropped
 * and made anew, empty, and rebuilt on open like any models of another version.
 * @param {Database} db
 * @param {string} version the version of the code that derives the models (READ_MODEL_VERSION)
 */
export function ensureReadModelTables(db, version) {
  const existing = new Set(db.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'rm\\_%' ESCAPE '\\'").pluck(true).all());
  const stored = existing.has("rm_meta") ? db.prepare("SELECT value FROM rm_meta WHERE name = 'version'").pluck(true).get() : undefined;
  const otherVersion = stored !== undefined && stored !== version;
  const missingTable = READ_MODEL_TABLE_NAMES.some((name) => !existing.has(name));
  if (!otherVersion && !missingTable && INDEX_NAMES.every((name) => existing.has(name))) return false;
  db.transaction(() => {
    if (otherVersion) for (const name of READ_MODEL_TABLE_NAMES) db.exec(`DROP TABLE IF EXISTS ${name}`);
    for (const name of READ_MODEL_TABLE_NAMES) db.exec(READ_MODEL_TABLES[name]);
    if (missingTable || otherVersion) db.prepare("DELETE FROM rm_meta").run();
  }).immediate();
  return missingTable || otherVersion;
}

/** Reads and writes the read models on one connection, inside the caller's transaction. */
export class ReadModelSql {
  /** @type {Record<"docs" | "runs" | "items" | "refs", { one: Statement, chunk: Statement, columns: number }>} */
  #insert;
  /** @type {Statement} */
  #get;
  /** @type {Statement} */
  #setMeta;
  /** @type {Statement} */
  #meta;
  /** @type {Database} */
  #db;

  /** @param {Database} db */
  constructor(db) {
    this.#db = db;
    /** @type {Record<string, { one: Statement, chunk: Statement, columns: number }>} */
    const insert = {};
    for (const [name, [head, columns, tail]] of Object.entries(TABLE_SQL)) {
      const n = /** @type {number} */ (columns);
      insert[name] = {
        one: db.prepare(insertSql(String(head), n, 1, String(tail))),
        chunk: db.prepare(insertSql(String(head), n, CHUNK, String(tail))),
        columns: n,
      };
    }
    this.#insert = /** @type {Record<"docs" | "runs" | "items" | "refs", { one: Statement, chunk: Statement, columns: number }>} */ (insert);
    this.#get = db.prepare("SELECT doc FROM rm_docs WHERE collection = ? AND key = ?").pluck(true);
    this.#setMeta = db.prepare("INSERT INTO rm_meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value");
    this.#meta = db.prepare("SELECT name, value FROM rm_meta");
  }

  /**
   * A document's JSON, or null.
   * @param {string} collection
   * @param {string} key
   * @returns {string | null}
   */
  get(collection, key) {
    return /** @type {string | undefined} */ (this.#get.get(collection, key)) ?? null;
  }

  /**
   * Applies one group's writes and records the seq they reflect.
   * @param {import("./read-model-sql.d.mts").FlatWrites} writes
   */
  apply(writes) {
    this.#rows("docs", writes.docs);
    this.#rows("runs", writes.runs);
    this.#rows("items", writes.items);
    this.#rows("refs", writes.refs);
    this.#setMeta.run("seq", String(writes.seq));
  }

  /** @returns {{ version: string | null, seq: number }} */
  meta() {
    const rows = /** @type {{ name: string, value: string }[]} */ (this.#meta.all());
    const value = (/** @type {string} */ name) => rows.find((r) => r.name === name)?.value;
    return { version: value("version") ?? null, seq: Number(value("seq") ?? 0) };
  }

  /** @param {string} version */
  setVersion(version) {
    this.#setMeta.run("version", version);
  }

  /**
   * Empties every table and drops their secondary indexes; the caller holds the write lock,
   * re-derives, and calls indexAgain(): an index built once over all rows costs less than upkeep row by row.
   */
  clear() {
    for (const name of READ_MODEL_TABLE_NAMES) this.#db.prepare(`DELETE FROM ${name}`).run();
    const indexes = this.#db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'rm\\_%' ESCAPE '\\'").pluck(true).all();
    for (const name of indexes) this.#db.exec(`DROP INDEX ${String(name)}`);
  }

  /** Creates the secondary indexes clear() dropped. */
  indexAgain() {
    for (const name of READ_MODEL_TABLE_NAMES) this.#db.exec(READ_MODEL_TABLES[name]);
  }

  /**
   * @param {"docs" | "runs" | "items" | "refs"} table
   * @param {readonly (string | number | null)[]} flat
   */
  #rows(table, flat) {
    const { one, chunk, columns } = this.#insert[table];
    const step = columns * CHUNK;
    let at = 0;
    for (; at + step <= flat.length; at += step) chunk.run(flat.slice(at, at + step));
    for (; at < flat.length; at += columns) one.run(flat.slice(at, at + columns));
  }
}
