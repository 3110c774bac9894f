import type pg from "pg";
import type { ArtifactRef, ItemQuery, ReadModelQueries, RunListQuery, RunListRow } from "../read-models/read-model-store.js";
import type { DocCollection, ItemCollection } from "../read-models/read-model-writes.js";

/** Runs a query on the pool and returns its rows, turning a failure into the store's error. */
export type PostgresRows = <R extends pg.QueryResultRow>(sql: string, params: unknown[]) => Promise<R[]>;

/**
 * The indexed reads of a Postgres ledger's read models, one query each, with SQLite's ordering:
 * keys are COLLATE "C" (read-model-tables.ts), so ORDER BY key and the prefix range compare bytes.
 */
export class PostgresReadModelQueries implements ReadModelQueries {
  private readonly t: { readonly docs: string; readonly runs: string; readonly items: string; readonly refs: string };

  constructor(
    s: string,
    private readonly rows: PostgresRows,
  ) {
    this.t = { docs: `${s}.rm_docs`, runs: `${s}.rm_runs`, items: `${s}.rm_items`, refs: `${s}.rm_refs` };
  }

  async docs(collection: DocCollection, keys: readonly string[]): Promise<Map<string, string>> {
    if (keys.length === 0) return new Map();
    const sql = `SELECT key, doc FROM ${this.t.docs} WHERE collection = $1 AND key = ANY($2::text[])`;
    return new Map((await this.rows<{ key: string; doc: string }>(sql, [collection, keys])).map((row) => [row.key, row.doc]));
  }

  async docsOfRun(collection: DocCollection, runId: string): Promise<string[]> {
    const sql = `SELECT doc FROM ${this.t.docs} WHERE run_id = $1 AND collection = $2 ORDER BY key`;
    return (await this.rows<{ doc: string }>(sql, [runId, collection])).map((row) => row.doc);
  }

  async allDocs(collection: DocCollection): Promise<string[]> {
    return (await this.rows<{ doc: string }>(`SELECT doc FROM ${this.t.docs} WHERE collection = $1 ORDER BY key`, [collection])).map((row) => row.doc);
  }

  async runs(query: RunListQuery): Promise<RunListRow[]> {
    const { where, params } = runFilter(query);
    params.push(query.limit);
    return this.rows<RunListRow>(`SELECT run_id, request_seq FROM ${this.t.runs} ${where} ORDER BY request_seq DESC LIMIT $${params.length}`, params);
  }

  async runIdsByPrefix(prefix: string, limit: number): Promise<string[]> {
    const sql = `SELECT run_id FROM ${this.t.runs} WHERE run_id >= $1 AND run_id < $2 ORDER BY run_id LIMIT $3`;
    return (await this.rows<{ run_id: string }>(sql, [prefix, `${prefix}\uffff`, limit])).map((row) => row.run_id);
  }

  async recentGates(limit: number): Promise<string[]> {
    const sql = `SELECT doc FROM ${this.t.docs} WHERE collection = 'gates' ORDER BY seq DESC LIMIT $1`;
    return (await this.rows<{ doc: string }>(sql, [limit])).map((row) => row.doc);
  }

  async requestSeq(runId: string): Promise<number | undefined> {
    return (await this.rows<{ request_seq: number }>(`SELECT request_seq FROM ${this.t.runs} WHERE run_id = $1`, [runId]))[0]?.request_seq;
  }

  async items(collection: ItemCollection, query: ItemQuery = {}): Promise<string[]> {
    const { clauses, params, add } = filter();
    add("collection = $?", collection);
    if (query.runId !== undefined) add("run_id = $?", query.runId);
    if (query.afterSeq !== undefined) add("seq > $?", query.afterSeq);
    if (query.kinds !== undefined) add("kind = ANY($?::text[])", query.kinds);
    const sql = `SELECT doc FROM ${this.t.items} WHERE ${clauses.join(" AND ")} ORDER BY seq, position`;
    return (await this.rows<{ doc: string }>(sql, params)).map((row) => row.doc);
  }

  async artifactRefs(digest: string): Promise<ArtifactRef[]> {
    return this.rows<ArtifactRef>(`SELECT attempt_id, name, size_bytes, seq FROM ${this.t.refs} WHERE digest = $1 ORDER BY seq`, [digest]);
  }

  async artifactsOf(attempt: string, name: string): Promise<string[]> {
    const sql = `SELECT digest FROM ${this.t.refs} WHERE attempt_id = $1 AND name = $2 ORDER BY seq`;
    return (await this.rows<{ digest: string }>(sql, [attempt, name])).map((row) => row.digest);
  }
}

/** A WHERE clause built a condition at a time; `$?` in each stands for its value's placeholder. */
function filter(): { clauses: string[]; params: unknown[]; add(clause: string, value: unknown): void } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  return {
    clauses,
    params,
    add(clause, value) {
      params.push(value);
      clauses.push(clause.replace("$?", () => `$${params.length}`));
    },
  };
}

/** The listing's filters, as SQLite's store applies them. */
function runFilter(query: RunListQuery): { where: string; params: unknown[] } {
  const { clauses, params, add } = filter();
  if (query.project !== undefined) add("project = $?", query.project);
  if (query.pipeline !== undefined) add("pipeline = $?", query.pipeline);
  if (query.statuses !== undefined && query.statuses.length > 0) add("status = ANY($?::text[])", query.statuses);
  if (query.workMode !== undefined) add("work_mode = $?", query.workMode);
  if (query.since !== undefined) add("requested_at_utc >= $?", query.since);
  if (query.until !== undefined) add("requested_at_utc < $?", query.until);
  if (query.beforeSeq !== undefined) add("request_seq < $?", query.beforeSeq);
  return { where: clauses.length > 0 ? `WHERE ${clauses.join(" AND ")}` : "", params };
}
