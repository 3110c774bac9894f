import pg from "pg";
import { RunledgerError } from "../../core/errors.js";
import type { StoredRow } from "../hash-chain.js";
import { modelsAhead, type Derivation } from "../read-models/derive-group.js";
import type { GroupDeriver, ReadModelQueries, ReadModelRow, ReadModelStatus, ReadModelStore, RowsDeriver } from "../read-models/read-model-store.js";
import { DOC_FIELDS, MISSING, type DocSource, type ReadModelWrites } from "../read-models/read-model-writes.js";
import { PostgresReadModelQueries } from "./postgres-read-model-queries.js";
import { inTransaction } from "./postgres-transaction.js";
import { ReadModelSql, docId } from "./read-model-tables.js";

/** Runs a database operation, turning a failure into the store's error. */
export type PostgresAttempt = <T>(operation: () => Promise<T>) => Promise<T>;

/** Events read and derived at a time during a rebuild; rows of a table read at a time by rows(). */
const PAGE = 5_000;

/**
 * A Postgres ledger's read models, in its schema: written by the store's commits under the head's
 * lock (applyDerived) and read by indexed queries. Reads are asynchronous here while derivation is
 * not, so a derivation reads from a cache of prefetched documents, is told which it lacked
 * (MISSING), and runs again once they are fetched: usually two or three rounds.
 */
export class PostgresReadModels implements ReadModelStore {
  readonly query: ReadModelQueries;
  private readonly sql: ReadModelSql;
  private readonly s: string;

  constructor(
    private readonly pool: pg.Pool,
    schema: string,
    private readonly attempt: PostgresAttempt,
  ) {
    this.sql = new ReadModelSql(schema);
    this.s = pg.escapeIdentifier(schema);
    this.query = new PostgresReadModelQueries(this.s, (sql, params) => this.attempt(async () => (await this.pool.query(sql, params)).rows));
  }

  /**
   * Inside the commit's transaction, with the head locked: `base` is the head the rows follow. The
   * events the models do not reflect yet (appended by a writer that keeps none) are derived first.
   */
  async applyDerived(client: pg.ClientBase, derive: GroupDeriver, base: number): Promise<void> {
    const behind = await this.behind(client, base);
    await this.sql.write(client, await this.derive(client, (source) => derive(base, source, behind)));
  }

  catchUp(derive: RowsDeriver): Promise<number> {
    return this.attempt(() =>
      inTransaction(this.pool, "BEGIN", async (client) => {
        const head = (await client.query<{ seq: number }>(`SELECT seq FROM ${this.s}.ledger_head WHERE id = 1 FOR UPDATE`)).rows[0]?.seq ?? 0;
        const behind = await this.behind(client, head);
        if (behind.length > 0) await this.sql.write(client, await this.derive(client, (source) => derive(behind, source)));
        return behind.length;
      }),
    );
  }

  /** The stored events after the models' seq up to `head`, under the head's lock. */
  private async behind(client: pg.ClientBase, head: number): Promise<StoredRow[]> {
    const { seq } = await this.sql.readMeta(client);
    if (seq > head) throw modelsAhead(seq, head);
    if (seq === head) return [];
    const sql = `SELECT seq, type, project, body, prev, hash FROM ${this.s}.events WHERE seq > $1 AND seq <= $2 ORDER BY seq`;
    return (await client.query<StoredRow>(sql, [seq, head])).rows;
  }

  status(): Promise<ReadModelStatus> {
    return this.attempt(async () => {
      const client = await this.pool.connect();
      try {
        return await this.sql.readMeta(client);
      } finally {
        client.release();
      }
    });
  }

  rebuild(derive: RowsDeriver, version: string, onProgress?: (seq: number, head: number) => void): Promise<void> {
    const events = `SELECT seq, type, project, body, prev, hash FROM ${this.s}.events WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3`;
    return this.attempt(() =>
      inTransaction(this.pool, "BEGIN", async (client) => {
        const head = (await client.query<{ seq: number }>(`SELECT seq FROM ${this.s}.ledger_head WHERE id = 1 FOR UPDATE`)).rows[0]?.seq ?? 0;
        await client.query(this.sql.clear);
        // Each page's documents seed the next page's cache: the runs and attempts it folds are mostly the same.
        let known = new Map<string, string | null>();
        for (let after = 0; after < head;) {
          const page = (await client.query<StoredRow>(events, [after, head, PAGE])).rows;
          if (page.length === 0) break;
          const writes = await this.derive(client, (source) => derive(page, source), known);
          await this.sql.write(client, writes);
          known = documentsOf(writes);
          after = writes.seq;
          onProgress?.(after, head);
        }
        await client.query(this.sql.setMeta, ["version", version]);
        await client.query(this.sql.setMeta, ["seq", String(head)]);
      }),
    );
  }

  /** Every row, ordered by table and key as SQLite's store yields them, from one snapshot read a page at a time. */
  async *rows(): AsyncIterable<ReadModelRow> {
    const client = await this.attempt(() => this.pool.connect());
    let done = false;
    try {
      await this.attempt(() => client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
      for (const table of ROW_TABLES) {
        for (let after: unknown[] | undefined; ;) {
          const page = await this.attempt(() => this.rowPage(client, table, after));
          for (const row of page) yield { table: table.name, key: table.key(row), value: table.value(row) };
          if (page.length < PAGE) break;
          after = table.order.map((column) => (page.at(-1) as Record<string, unknown>)[column]);
        }
      }
      await this.attempt(() => client.query("COMMIT"));
      done = true;
    } finally {
      // A consumer that stops early, or a failed read, leaves the transaction open: that connection is not reused.
      client.release(done ? undefined : true);
    }
  }

  private async rowPage(client: pg.ClientBase, table: RowTable, after: unknown[] | undefined): Promise<Record<string, unknown>[]> {
    const order = table.order.join(", ");
    const params = after ?? [];
    const where = after ? `WHERE (${order}) > (${after.map((_, i) => `$${i + 1}`).join(", ")})` : "";
    const sql = `SELECT ${table.columns} FROM ${this.s}.rm_${table.name} ${where} ORDER BY ${order} LIMIT ${PAGE}`;
    return (await client.query<Record<string, unknown>>(sql, params)).rows;
  }

  /** Derives with the documents in `known`, fetching those the derivation lacked, until it lacks none. */
  private async derive(client: pg.ClientBase, derive: (source: DocSource) => Derivation, known = new Map<string, string | null>()): Promise<ReadModelWrites> {
    const source: DocSource = {
      get: (collection, key) => {
        const doc = known.get(docId(collection, key));
        return doc === undefined ? MISSING : doc;
      },
    };
    for (;;) {
      const derivation = derive(source);
      if (!("missing" in derivation)) return derivation;
      const wanted = derivation.missing.filter(({ collection, key }) => !known.has(docId(collection, key)));
      if (wanted.length === 0) throw new RunledgerError("ERR_INTERNAL", { detail: "read models: a derivation asked again for documents it was given" });
      for (const [id, doc] of await this.sql.fetch(client, wanted)) known.set(id, doc);
    }
  }
}

interface RowTable {
  readonly name: ReadModelRow["table"];
  readonly columns: string;
  /** The primary key: the order rows are listed in, and where the next page starts. */
  readonly order: readonly string[];
  key(row: Record<string, unknown>): string;
  value(row: Record<string, unknown>): string;
}

/** Each table's rows as ReadModelRow: the same keys and values as SQLite's (JSON arrays as JSON.stringify makes them). */
const ROW_TABLES: readonly RowTable[] = [
  {
    name: "docs",
    columns: "collection, key, run_id, doc",
    order: ["collection", "key"],
    key: (r) => `${String(r["collection"])} ${String(r["key"])}`,
    value: (r) => `${String(r["run_id"] ?? "")} ${String(r["doc"])}`,
  },
  {
    name: "runs",
    columns: "run_id, request_seq, project, pipeline, status, work_mode, requested_at_utc",
    order: ["run_id"],
    key: (r) => String(r["run_id"]),
    value: (r) => JSON.stringify([r["request_seq"], r["project"], r["pipeline"], r["status"], r["work_mode"], r["requested_at_utc"]]),
  },
  {
    name: "items",
    columns: "collection, seq, position, run_id, kind, doc",
    order: ["collection", "seq", "position"],
    key: (r) => `${String(r["collection"])} ${String(r["seq"])} ${String(r["position"])}`,
    value: (r) => JSON.stringify([r["run_id"], r["kind"], r["doc"]]),
  },
  {
    name: "refs",
    columns: "digest, attempt_id, name, size_bytes, seq",
    order: ["digest", "attempt_id", "name"],
    key: (r) => `${String(r["digest"])} ${String(r["attempt_id"])} ${String(r["name"])}`,
    value: (r) => `${String(r["size_bytes"])} ${String(r["seq"])}`,
  },
];

/** The documents a group wrote, by identity: their state after it. */
function documentsOf(writes: ReadModelWrites): Map<string, string | null> {
  const known = new Map<string, string | null>();
  for (let i = 0; i < writes.docs.length; i += DOC_FIELDS) known.set(docId(String(writes.docs[i]), String(writes.docs[i + 1])), String(writes.docs[i + 4]));
  return known;
}
