import type Database from "better-sqlite3";
import { RunledgerError } from "../../core/errors.js";
import type { StoredRow } from "../hash-chain.js";
import { completeWrites, modelsAhead } from "../read-models/derive-group.js";
import type {
  ArtifactRef,
  GroupDeriver,
  ItemQuery,
  ReadModelQueries,
  ReadModelRow,
  ReadModelStatus,
  ReadModelStore,
  RowsDeriver,
  RunListQuery,
  RunListRow,
} from "../read-models/read-model-store.js";
import { MemoryReadModels } from "../read-models/memory-read-models.js";
import { runScopedKey, type DocCollection, type DocSource, type ItemCollection } from "../read-models/read-model-writes.js";
import { ReadModelSql, type FlatWrites } from "./read-model-sql.mjs";

/** Events read and derived at a time during a rebuild. */
const REBUILD_PAGE = 20_000;

/**
 * A SQLite ledger's read models, in its own file: written by the store's commits (applyDerived on
 * this thread, or the writer thread with what deriveForThread gives it) and read by indexed queries.
 */
export class SqliteReadModels implements ReadModelStore, ReadModelQueries {
  readonly query: ReadModelQueries = this;
  private readonly sql: ReadModelSql;
  private readonly source: DocSource;

  private readonly headSeq: Database.Statement<[], number>;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly rowsBetween: Database.Statement<[number, number], StoredRow>;

  constructor(private readonly db: Database.Database) {
    this.sql = new ReadModelSql(db);
    this.headSeq = db.prepare<[], number>("SELECT seq FROM ledger_head WHERE id = 1").pluck(true);
    this.rowsBetween = db.prepare<[number, number], StoredRow>(
      "SELECT seq, type, project, body, hash, '' AS prev FROM events WHERE seq > ? AND seq <= ? ORDER BY seq",
    );
    this.source = { get: (collection, key) => this.sql.get(collection, key) };
  }

  /** Inside the commit's transaction, with the write lock held: `base` is the head the rows follow. */
  applyDerived(derive: GroupDeriver, base: number): void {
    this.sql.apply(completeWrites(derive(base, this.source, this.behind(base))));
  }

  /**
   * On this thread, in a read transaction, for a commit the writer thread makes (see WriterThread):
   * derived for the head as last committed, which the thread checks under the write lock. `at` is
   * the head the thread found instead; it holds the lock, so this snapshot sees that head.
   */
  deriveForThread(derive: GroupDeriver, at?: number): { expect: number; writes: FlatWrites } {
    return this.db.transaction(() => {
      const head = this.headSeq.get() as number;
      if (at !== undefined && head !== at) throw new RunledgerError("ERR_INTERNAL", { detail: `read models: the head is ${head}, the writer found ${at}` });
      return { expect: head, writes: completeWrites(derive(head, this.source, this.behind(head))) };
    })();
  }

  async catchUp(derive: RowsDeriver): Promise<number> {
    return this.db
      .transaction(() => {
        const head = this.headSeq.get() as number;
        const behind = this.behind(head);
        if (behind.length > 0) this.sql.apply(completeWrites(derive(behind, this.source)));
        return behind.length;
      })
      .immediate();
  }

  /** A prepared statement, kept: a command makes the same few queries thousands of times (a cached re-run's lookups). */
  private statement<P extends unknown[], R>(sql: string): Database.Statement<P, R> {
    let prepared = this.statements.get(sql);
    if (prepared === undefined) this.statements.set(sql, (prepared = this.db.prepare(sql)));
    return prepared as Database.Statement<P, R>;
  }

  /** The stored events after the models' seq up to `head`: appended by a writer that keeps no models. */
  private behind(head: number): StoredRow[] {
    const { seq } = this.sql.meta();
    if (seq > head) throw modelsAhead(seq, head);
    return seq === head ? [] : this.rowsBetween.all(seq, head);
  }

  status(): Promise<ReadModelStatus> {
    return Promise.resolve(this.sql.meta());
  }

  /**
   * Derives every event in memory (documents found in a map, not by a query), then writes each
   * table from empty in key order and indexes it once: all in one transaction under the write lock.
   */
  async rebuild(derive: RowsDeriver, version: string, onProgress?: (seq: number, head: number) => void): Promise<void> {
    const rows = this.db.prepare<[number, number], StoredRow>(
      "SELECT seq, type, project, body, hash, '' AS prev FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
    );
    this.db
      .transaction(() => {
        const head = this.headSeq.get() as number;
        const models = new MemoryReadModels();
        for (let after = 0; after < head;) {
          const page = rows.all(after, Math.min(REBUILD_PAGE, head - after));
          if (page.length === 0) break;
          models.apply(completeWrites(derive(page, models.source)));
          after = (page.at(-1) as StoredRow).seq;
          onProgress?.(after, head);
        }
        this.sql.clear();
        this.sql.apply(models.allWrites(head));
        this.sql.indexAgain();
        this.sql.setVersion(version);
      })
      .immediate();
  }

  async *rows(): AsyncIterable<ReadModelRow> {
    const queries: [ReadModelRow["table"], string][] = [
      ["docs", "SELECT collection || ' ' || key AS key, coalesce(run_id, '') || ' ' || doc AS value FROM rm_docs ORDER BY collection, key"],
      ["runs", "SELECT run_id AS key, json_array(request_seq, project, pipeline, status, work_mode, requested_at_utc) AS value FROM rm_runs ORDER BY run_id"],
      [
        "items",
        "SELECT collection || ' ' || seq || ' ' || position AS key, json_array(run_id, kind, doc) AS value FROM rm_items ORDER BY collection, seq, position",
      ],
      ["refs", "SELECT digest || ' ' || attempt_id || ' ' || name AS key, size_bytes || ' ' || seq AS value FROM rm_refs ORDER BY digest, attempt_id, name"],
    ];
    for (const [table, sql] of queries) {
      for (const row of this.db.prepare<[], { key: string; value: string }>(sql).iterate()) yield { table, key: row.key, value: row.value };
    }
  }

  async docs(collection: DocCollection, keys: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (let at = 0; at < keys.length; at += 500) {
      const part = keys.slice(at, at + 500);
      const sql = `SELECT key, doc FROM rm_docs WHERE collection = ? AND key IN (${part.map(() => "?").join(", ")})`;
      for (const row of this.statement<string[], { key: string; doc: string }>(sql).all(collection, ...part)) found.set(row.key, row.doc);
    }
    return found;
  }

  async docsOfRun(collection: DocCollection, runId: string): Promise<string[]> {
    const prefix = runKeyPrefix(collection, runId);
    if (prefix !== undefined) {
      const sql = "SELECT doc FROM rm_docs WHERE collection = ? AND key >= ? AND key < ? ORDER BY key";
      return this.statement<[string, string, string], string>(sql).pluck(true).all(collection, prefix, `${prefix}\uffff`);
    }
    // INDEXED BY: without statistics the planner would rather scan the whole collection by its key.
    const sql = "SELECT doc FROM rm_docs INDEXED BY rm_docs_by_run WHERE run_id = ? AND collection = ? AND collection IN ('attempts', 'debug') ORDER BY key";
    return this.statement<[string, string], string>(sql).pluck(true).all(runId, collection);
  }

  async recentGates(limit: number): Promise<string[]> {
    const sql = "SELECT doc FROM rm_docs INDEXED BY rm_docs_gates_by_seq WHERE collection = 'gates' ORDER BY seq DESC LIMIT ?";
    return this.statement<[number], string>(sql).pluck(true).all(limit);
  }

  async allDocs(collection: DocCollection): Promise<string[]> {
    return this.statement<[string], string>("SELECT doc FROM rm_docs WHERE collection = ? ORDER BY key").pluck(true).all(collection);
  }

  async runs(query: RunListQuery): Promise<RunListRow[]> {
    const { where, params } = runFilter(query);
    const sql = `SELECT run_id, request_seq FROM rm_runs ${where} ORDER BY request_seq DESC LIMIT ?`;
    return this.statement<(string | number)[], RunListRow>(sql).all(...params, query.limit);
  }

  async runIdsByPrefix(prefix: string, limit: number): Promise<string[]> {
    const sql = "SELECT run_id FROM rm_runs WHERE run_id >= ? AND run_id < ? ORDER BY run_id LIMIT ?";
    return this.statement<[string, string, number], string>(sql).pluck(true).all(prefix, `${prefix}\uffff`, limit);
  }

  async requestSeq(runId: string): Promise<number | undefined> {
    return this.statement<[string], number>("SELECT request_seq FROM rm_runs WHERE run_id = ?").pluck(true).get(runId);
  }

  async items(collection: ItemCollection, query: ItemQuery = {}): Promise<string[]> {
    const { clauses: where, params, add } = conditions();
    add("collection = ?", collection);
    if (query.runId !== undefined) add("run_id = ? AND run_id IS NOT NULL", query.runId);
    if (query.afterSeq !== undefined) add("seq > ?", query.afterSeq);
    if (query.kinds !== undefined) add(`kind IN (${query.kinds.map(() => "?").join(", ")})`, ...query.kinds);
    const index = query.runId === undefined ? "" : "INDEXED BY rm_items_by_run";
    const sql = `SELECT doc FROM rm_items ${index} WHERE ${where.join(" AND ")} ORDER BY seq, position`;
    return this.statement<(string | number)[], string>(sql)
      .pluck(true)
      .all(...params);
  }

  async artifactRefs(digest: string): Promise<ArtifactRef[]> {
    const sql = "SELECT attempt_id, name, size_bytes, seq FROM rm_refs WHERE digest = ? ORDER BY seq";
    return this.statement<[string], ArtifactRef>(sql).all(digest);
  }

  async artifactsOf(attempt: string, name: string): Promise<string[]> {
    const sql = "SELECT digest FROM rm_refs INDEXED BY rm_refs_by_attempt WHERE attempt_id = ? AND name = ? ORDER BY seq";
    return this.statement<[string, string], string>(sql).pluck(true).all(attempt, name);
  }
}

/** What the keys of a run's documents start with, where the key holds the run id (tasks, gates). */
function runKeyPrefix(collection: DocCollection, runId: string): string | undefined {
  if (collection === "tasks") return runScopedKey(runId, "").slice(0, -'"]'.length);
  if (collection === "gates") return `${runId}/`;
  return undefined;
}

/** A WHERE clause built a condition at a time, with the values of its placeholders in order. */
function conditions(): { clauses: string[]; params: (string | number)[]; add(clause: string, ...values: (string | number)[]): void } {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  return {
    clauses,
    params,
    add(clause, ...values) {
      clauses.push(clause);
      params.push(...values);
    },
  };
}

/** The listing's filters as a WHERE clause; each uses the request-seq index or a scan of it. */
function runFilter(query: RunListQuery): { where: string; params: (string | number)[] } {
  const { clauses, params, add } = conditions();
  if (query.project !== undefined) add("project = ?", query.project);
  if (query.pipeline !== undefined) add("pipeline = ?", query.pipeline);
  if (query.statuses !== undefined && query.statuses.length > 0) add(`status IN (${query.statuses.map(() => "?").join(", ")})`, ...query.statuses);
  if (query.workMode !== undefined) add("work_mode = ?", query.workMode);
  if (query.since !== undefined) add("requested_at_utc >= ?", query.since);
  if (query.until !== undefined) add("requested_at_utc < ?", query.until);
  if (query.beforeSeq !== undefined) add("request_seq < ?", query.beforeSeq);
  return { where: clauses.length > 0 ? `WHERE ${clauses.join(" AND ")}` : "", params };
}
