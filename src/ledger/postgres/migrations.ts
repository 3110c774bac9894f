import pg from "pg";

/** One numbered schema change; `sql` receives the quoted schema name and qualifies every object with it. */
export interface PostgresMigration {
  readonly version: number;
  sql(schema: string): string;
}

/**
 * Numbered schema migrations of the Postgres ledger, applied in order, each recorded in
 * `schema_migrations`. Released migrations never change; add a new version instead.
 */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    sql: (s) => `
      CREATE TABLE ${s}.events (
        seq bigint PRIMARY KEY,
        type text NOT NULL,
        project text NOT NULL,
        body text NOT NULL,
        prev text NOT NULL,
        hash text NOT NULL
      );
      CREATE INDEX events_by_project ON ${s}.events (project, seq);
      CREATE TABLE ${s}.ledger_head (
        id int PRIMARY KEY CHECK (id = 1),
        seq bigint NOT NULL,
        hash text NOT NULL
      );
      INSERT INTO ${s}.ledger_head (id, seq, hash) VALUES (1, 0, 'sha256:${"0".repeat(64)}');
      CREATE FUNCTION ${s}.events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'ledger events are append-only'; END
      $$;
      CREATE TRIGGER events_append_only_update BEFORE UPDATE ON ${s}.events
        FOR EACH ROW EXECUTE FUNCTION ${s}.events_append_only();
      CREATE TRIGGER events_append_only_delete BEFORE DELETE ON ${s}.events
        FOR EACH ROW EXECUTE FUNCTION ${s}.events_append_only();
      CREATE TRIGGER events_append_only_truncate BEFORE TRUNCATE ON ${s}.events
        FOR EACH STATEMENT EXECUTE FUNCTION ${s}.events_append_only();
    `,
  },
];

/**
 * Brings `schema` up to the latest migration: creates the schema if missing, then applies every
 * migration it lacks, in order, all in one transaction under an advisory lock keyed by the schema,
 * so processes opening a new database at once wait for each other instead of colliding.
 * Commits everything or nothing; the client is left outside any transaction.
 */
export async function applyPostgresMigrations(client: pg.ClientBase, schemaName: string): Promise<void> {
  const s = pg.escapeIdentifier(schemaName);
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`runledger.migrate:${schemaName}`]);
    // Checked first because CREATE SCHEMA IF NOT EXISTS still demands CREATE rights on the database.
    const found = await client.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schemaName]);
    if (found.rowCount === 0) await client.query(`CREATE SCHEMA ${s}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (
      version int PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const applied = await client.query<{ version: number | null }>(`SELECT max(version) AS version FROM ${s}.schema_migrations`);
    const current = applied.rows[0]?.version ?? 0;
    for (const migration of POSTGRES_MIGRATIONS) {
      if (migration.version <= current) continue;
      await client.query(migration.sql(s));
      await client.query(`INSERT INTO ${s}.schema_migrations (version, applied_at) VALUES ($1, now())`, [migration.version]);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}
