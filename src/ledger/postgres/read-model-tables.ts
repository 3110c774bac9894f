import pg from "pg";
import { DOC_FIELDS, ITEM_FIELDS, REF_FIELDS, RUN_FIELDS, type DocCollection, type ReadModelWrites } from "../read-models/read-model-writes.js";

/**
 * The read models' tables in a ledger's Postgres schema: the names, columns and meaning of the
 * SQLite ones (src/ledger/sqlite/read-model-sql.mjs). Text that is ordered or compared by range is
 * COLLATE "C", so that keys sort by their bytes as SQLite's do and both backends list alike.
 */
const TABLES = {
  rm_meta: (s: string) => `CREATE TABLE IF NOT EXISTS ${s}.rm_meta (name text PRIMARY KEY, value text NOT NULL)`,
  rm_docs: (s: string) => `CREATE TABLE IF NOT EXISTS ${s}.rm_docs (
      collection text COLLATE "C" NOT NULL, key text COLLATE "C" NOT NULL, run_id text COLLATE "C", seq bigint NOT NULL, doc text NOT NULL,
      PRIMARY KEY (collection, key));
    CREATE INDEX IF NOT EXISTS rm_docs_by_run ON ${s}.rm_docs (run_id, collection, key) WHERE run_id IS NOT NULL;
    CREATE INDEX IF NOT EXISTS rm_docs_gates_by_seq ON ${s}.rm_docs (seq) WHERE collection = 'gates'`,
  rm_runs: (s: string) => `CREATE TABLE IF NOT EXISTS ${s}.rm_runs (
      run_id text COLLATE "C" PRIMARY KEY, request_seq bigint NOT NULL, project text COLLATE "C" NOT NULL, pipeline text COLLATE "C" NOT NULL,
      status text COLLATE "C" NOT NULL, work_mode text COLLATE "C" NOT NULL, requested_at_utc text COLLATE "C" NOT NULL);
    CREATE INDEX IF NOT EXISTS rm_runs_by_seq ON ${s}.rm_runs (request_seq);
    CREATE INDEX IF NOT EXISTS rm_runs_by_pipeline ON ${s}.rm_runs (pipeline, request_seq)`,
  rm_items: (s: string) => `CREATE TABLE IF NOT EXISTS ${s}.rm_items (
      collection text COLLATE "C" NOT NULL, seq bigint NOT NULL, position int NOT NULL, run_id text COLLATE "C", kind text COLLATE "C", doc text NOT NULL,
      PRIMARY KEY (collection, seq, position));
    CREATE INDEX IF NOT EXISTS rm_items_by_run ON ${s}.rm_items (collection, run_id) WHERE run_id IS NOT NULL`,
  rm_refs: (s: string) => `CREATE TABLE IF NOT EXISTS ${s}.rm_refs (
      digest text COLLATE "C" NOT NULL, attempt_id text COLLATE "C" NOT NULL, name text COLLATE "C" NOT NULL, size_bytes bigint NOT NULL, seq bigint NOT NULL,
      PRIMARY KEY (digest, attempt_id, name));
    CREATE INDEX IF NOT EXISTS rm_refs_by_attempt ON ${s}.rm_refs (attempt_id, name)`,
};

const TABLE_NAMES = Object.keys(TABLES) as (keyof typeof TABLES)[];

/** Rows per table in one statement: keeps a bind message far below Postgres's 1 GB limit however large the group. */
const CHUNK_ROWS = 5_000;

/**
 * Creates the tables that are missing; returns whether any was. Created on open rather than by a
 * numbered migration, as SQLite does: a table dropped by hand comes back, and the cleared rm_meta
 * forces a rebuild. Tables whose models another version of the code derived may have another
 * shape: they are dropped and made anew, empty, and rebuilt on open. The client must be outside a
 * transaction; it is left outside one.
 */
export async function ensureReadModelTables(client: pg.ClientBase, schema: string, version: string): Promise<boolean> {
  const s = pg.escapeIdentifier(schema);
  const state = async () => {
    const found = await client.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = $1 AND tablename = ANY($2::text[])", [
      schema,
      TABLE_NAMES,
    ]);
    const names = new Set(found.rows.map((r) => r.tablename));
    const stored = names.has("rm_meta")
      ? (await client.query<{ value: string }>(`SELECT value FROM ${s}.rm_meta WHERE name = 'version'`)).rows[0]?.value
      : undefined;
    return { missing: names.size < TABLE_NAMES.length, otherVersion: stored !== undefined && stored !== version };
  };
  const before = await state();
  if (!before.missing && !before.otherVersion) return false;
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`runledger.read-models:${schema}`]);
    // Another process may have made them while this one waited: clearing rm_meta again would undo its rebuild.
    const now = await state();
    if (now.otherVersion) for (const name of TABLE_NAMES) await client.query(`DROP TABLE IF EXISTS ${s}.${name}`);
    if (now.missing || now.otherVersion) {
      for (const name of TABLE_NAMES) await client.query(TABLES[name](s));
      await client.query(`DELETE FROM ${s}.rm_meta`);
    }
    await client.query("COMMIT");
    return true;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

/** The statements that read and write the read models inside a commit's or a rebuild's transaction. */
export class ReadModelSql {
  readonly meta: string;
  readonly clear: string;
  readonly apply: string;
  readonly setMeta: string;
  private readonly docs: string;

  constructor(schema: string) {
    const s = pg.escapeIdentifier(schema);
    this.meta = `SELECT name, value FROM ${s}.rm_meta`;
    this.clear = TABLE_NAMES.map((name) => `DELETE FROM ${s}.${name}`).join("; ");
    this.setMeta = `INSERT INTO ${s}.rm_meta (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value`;
    this.docs = `SELECT collection, key, doc FROM ${s}.rm_docs WHERE`;
    // One round trip for a group's writes of every table, and the seq they reflect; documents come as JSON (docsJson).
    this.apply = `WITH docs AS (
        INSERT INTO ${s}.rm_docs (collection, key, run_id, seq, doc)
        SELECT * FROM json_to_recordset($1::json) AS d(c text, k text, r text, s bigint, j text)
        ON CONFLICT (collection, key) DO UPDATE SET run_id = excluded.run_id, seq = excluded.seq, doc = excluded.doc
      ), runs AS (
        INSERT INTO ${s}.rm_runs (run_id, request_seq, project, pipeline, status, work_mode, requested_at_utc)
        SELECT * FROM unnest($2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
        ON CONFLICT (run_id) DO UPDATE SET project = excluded.project, pipeline = excluded.pipeline, status = excluded.status,
          work_mode = excluded.work_mode, requested_at_utc = excluded.requested_at_utc
      ), items AS (
        INSERT INTO ${s}.rm_items (collection, seq, position, run_id, kind, doc)
        SELECT * FROM unnest($9::text[], $10::bigint[], $11::int[], $12::text[], $13::text[], $14::text[])
      ), refs AS (
        INSERT INTO ${s}.rm_refs (digest, attempt_id, name, size_bytes, seq)
        SELECT * FROM unnest($15::text[], $16::text[], $17::text[], $18::bigint[], $19::bigint[])
        ON CONFLICT (digest, attempt_id, name) DO NOTHING
      )
      INSERT INTO ${s}.rm_meta (name, value) VALUES ('seq', $20) ON CONFLICT (name) DO UPDATE SET value = excluded.value`;
  }

  async readMeta(client: pg.ClientBase): Promise<{ version: string | null; seq: number }> {
    const rows = (await client.query<{ name: string; value: string }>(this.meta)).rows;
    const value = (name: string) => rows.find((r) => r.name === name)?.value;
    return { version: value("version") ?? null, seq: Number(value("seq") ?? 0) };
  }

  /** Applies one group's writes and records the seq they reflect: one statement per 5,000 rows of each table. */
  async write(client: pg.ClientBase, writes: ReadModelWrites): Promise<void> {
    const tables: [readonly unknown[], number][] = [
      [writes.docs, DOC_FIELDS],
      [writes.runs, RUN_FIELDS],
      [writes.items, ITEM_FIELDS],
      [writes.refs, REF_FIELDS],
    ];
    const statements = Math.max(1, ...tables.map(([flat, width]) => Math.ceil(flat.length / width / CHUNK_ROWS)));
    for (let part = 0; part < statements; part++) {
      const [docs, ...others] = tables.map(([flat, width]) => [flat.slice(part * CHUNK_ROWS * width, (part + 1) * CHUNK_ROWS * width), width] as const);
      const params = others.flatMap(([flat, width]) => columnsOf(flat, width));
      await client.query(this.apply, [docsJson(docs?.[0] ?? []), ...params, String(writes.seq)]);
    }
  }

  /** The stored JSON of each wanted document, null where none is stored, in one query grouped by collection. */
  async fetch(client: pg.ClientBase, wanted: readonly { collection: DocCollection; key: string }[]): Promise<Map<string, string | null>> {
    const byCollection = new Map<string, string[]>();
    for (const { collection, key } of wanted) {
      const keys = byCollection.get(collection);
      if (keys) keys.push(key);
      else byCollection.set(collection, [key]);
    }
    const params: unknown[] = [];
    const clauses = [...byCollection].map(([collection, keys]) => {
      params.push(collection, keys);
      return `(collection = $${params.length - 1} AND key = ANY($${params.length}::text[]))`;
    });
    const found = new Map<string, string | null>(wanted.map(({ collection, key }) => [docId(collection, key), null]));
    const result = await client.query<{ collection: string; key: string; doc: string }>(`${this.docs} ${clauses.join(" OR ")}`, params);
    for (const row of result.rows) found.set(docId(row.collection, row.key), row.doc);
    return found;
  }
}

/** A document's identity in a derivation's cache. */
export function docId(collection: string, key: string): string {
  return `${collection}\u0001${key}`;
}

/** Flat rows of `width` fields as one array per column: what unnest() takes. */
function columnsOf(flat: readonly unknown[], width: number): unknown[][] {
  const columns = Array.from({ length: width }, (): unknown[] => []);
  for (let i = 0; i < flat.length; i++) (columns[i % width] as unknown[]).push(flat[i]);
  return columns;
}

/**
 * Documents as one JSON array of rows: their JSON is full of quotes, which JSON.stringify escapes
 * natively where a text[] literal escapes them in JavaScript (about a third of a commit's write time).
 */
function docsJson(flat: readonly unknown[]): string {
  const rows: object[] = [];
  for (let i = 0; i < flat.length; i += DOC_FIELDS) rows.push({ c: flat[i], k: flat[i + 1], r: flat[i + 2], s: flat[i + 3], j: flat[i + 4] });
  return JSON.stringify(rows);
}
