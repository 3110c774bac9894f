// @ts-check
// Seals and inserts a SQLite ledger's appends on one connection, in whichever thread holds it: the
// store's writer thread, or the store's own thread for an in-memory ledger. Plain JavaScript, so it
// loads the same from src/ and dist/ and in worker threads.
import { hashEventTail } from "../event-hash.mjs";

/** @typedef {import("better-sqlite3").Database} Database */
/** @typedef {import("better-sqlite3").Statement} Statement */
/** @typedef {{ seq: number, hash: `sha256:${string}` }} Head */

/** Rows per INSERT statement: one statement per row costs more than the row itself. */
const CHUNK = 64;

/** @param {number} rows */
function insertSql(rows) {
  return `INSERT INTO events (seq, type, project, body, hash) VALUES ${Array(rows).fill("(?, ?, ?, ?, ?)").join(", ")}`;
}

/**
 * A group of appends in one transaction, begun by its first rows: BEGIN IMMEDIATE takes the write
 * lock, on which processes take turns, and the head is read under it. Each caller's rows sit in a
 * savepoint, so a caller whose later events turn out invalid is dropped alone. An error drops the
 * whole group, and commit() throws it.
 */
export class SqliteAppender {
  /** @type {Database} */
  #db;
  /** @type {Record<"begin" | "commit" | "rollback" | "savepoint" | "rollbackTo" | "release" | "readHead" | "writeHead" | "one" | "chunk", Statement>} */
  #st;
  /** @type {unknown[]} */
  #params = new Array(CHUNK * 5);
  /** The head before the open group, or undefined when none is open. @type {Head | undefined} */
  #start;
  #seq = 0;
  /** @type {string} */
  #prev = "";
  /** @type {`sha256:${string}`[]} */
  #hashes = [];
  /** Where the current caller's rows start. @type {{ seq: number, prev: string, count: number } | undefined} */
  #mark;
  /** @type {unknown} */
  #failure;

  /** @param {Database} db */
  constructor(db) {
    /** @param {string} sql */
    const prepare = (sql) => db.prepare(sql);
    this.#st = {
      begin: prepare("BEGIN IMMEDIATE"),
      commit: prepare("COMMIT"),
      rollback: prepare("ROLLBACK"),
      savepoint: prepare("SAVEPOINT caller"),
      rollbackTo: prepare("ROLLBACK TO caller"),
      release: prepare("RELEASE caller"),
      readHead: prepare("SELECT seq, hash FROM ledger_head WHERE id = 1"),
      writeHead: prepare("UPDATE ledger_head SET seq = ?, hash = ? WHERE id = 1"),
      one: prepare(insertSql(1)),
      chunk: prepare(insertSql(CHUNK)),
    };
    this.#db = db;
  }

  /**
   * Seals and inserts a caller's next rows, given as `fields`: project, type and body of each row in
   * turn. `first` opens the caller's part, `last` keeps it.
   * @param {readonly string[]} fields
   * @param {boolean} first
   * @param {boolean} last
   */
  add(fields, first, last) {
    if (this.#failure) return;
    try {
      if (!this.#start) {
        this.#st.begin.run();
        this.#start = /** @type {Head} */ (this.#st.readHead.get());
        this.#seq = this.#start.seq;
        this.#prev = this.#start.hash;
      }
      if (first) {
        this.#st.savepoint.run();
        this.#mark = { seq: this.#seq, prev: this.#prev, count: this.#hashes.length };
      }
      this.#insert(fields);
      if (last) {
        this.#st.release.run();
        this.#mark = undefined;
      }
    } catch (error) {
      this.#fail(error);
    }
  }

  /** Discards the current caller's rows. */
  drop() {
    if (this.#failure || !this.#mark) return;
    try {
      this.#st.rollbackTo.run();
      this.#st.release.run();
      this.#seq = this.#mark.seq;
      this.#prev = this.#mark.prev;
      this.#hashes.length = this.#mark.count;
      this.#mark = undefined;
      // Nothing left to commit: let go of the write lock now.
      if (this.#hashes.length === 0) this.abort();
    } catch (error) {
      this.#fail(error);
    }
  }

  /** Whether the open group failed: commit() throws why. */
  get failed() {
    return this.#failure !== undefined;
  }

  /** The seq of the head the open group follows, or of the current head when none is open. */
  base() {
    return this.#start ? this.#start.seq : /** @type {Head} */ (this.#st.readHead.get()).seq;
  }

  /**
   * Commits the group: returns the head before it and its rows' hashes, or throws what failed it.
   * `beforeCommit` writes what derives from the rows (the read models) in the same transaction.
   * @param {((base: number) => void) | undefined} [beforeCommit]
   * @returns {import("./sqlite-appender.d.mts").SqliteGroup}
   */
  commit(beforeCommit) {
    const failure = this.#failure;
    this.#failure = undefined;
    if (failure) throw failure;
    // A caller's part left open was never handed back to its caller: it is not committed.
    if (this.#mark) this.drop();
    if (!this.#start) {
      const head = /** @type {Head} */ (this.#st.readHead.get());
      return { seq: head.seq, prev: head.hash, hashes: [] };
    }
    try {
      beforeCommit?.(this.#start.seq);
      this.#st.writeHead.run(this.#seq, this.#prev);
      this.#st.commit.run();
    } catch (error) {
      this.abort();
      throw error;
    }
    const group = { seq: this.#start.seq, prev: this.#start.hash, hashes: this.#hashes };
    this.#start = undefined;
    this.#hashes = [];
    return group;
  }

  /** Rolls back the open group, if any. */
  abort() {
    if (this.#db.inTransaction) {
      try {
        this.#st.rollback.run();
      } catch {
        // Already rolled back by SQLite itself.
      }
    }
    this.#start = undefined;
    this.#mark = undefined;
    this.#hashes = [];
  }

  /** @param {unknown} error */
  #fail(error) {
    this.#failure = error;
    this.abort();
  }

  /**
   * Seals the row whose project, type and body start at `fields[f]`.
   * @param {readonly string[]} fields
   * @param {number} f
   */
  #seal(fields, f) {
    this.#seq += 1;
    const hash = hashEventTail(this.#seq, this.#prev, `${fields[f]}\n${fields[f + 1]}\n${fields[f + 2]}`);
    this.#prev = hash;
    this.#hashes.push(hash);
  }

  /** @param {readonly string[]} fields */
  #insert(fields) {
    const rows = fields.length / 3;
    const params = this.#params;
    let i = 0;
    for (; i + CHUNK <= rows; i += CHUNK) {
      for (let k = 0, p = 0, f = i * 3; k < CHUNK; k++, f += 3) {
        this.#seal(fields, f);
        params[p++] = this.#seq;
        params[p++] = fields[f + 1];
        params[p++] = fields[f];
        params[p++] = fields[f + 2];
        params[p++] = this.#prev;
      }
      this.#st.chunk.run(params);
    }
    for (let f = i * 3; i < rows; i++, f += 3) {
      this.#seal(fields, f);
      this.#st.one.run(this.#seq, fields[f + 1], fields[f], fields[f + 2], this.#prev);
    }
  }
}
