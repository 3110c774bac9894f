/**
 * Numbered schema migrations of the SQLite ledger, applied in order and recorded in user_version.
 * Rows hold no `prev`: it is the previous row's hash, recomputed on read, which halves what each
 * append writes; nor an index by project, whose upkeep cost more than the scans it would save.
 */
export const SQLITE_MIGRATIONS: readonly { readonly version: number; readonly sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE events (
        seq INTEGER PRIMARY KEY,
        type TEXT NOT NULL,
        project TEXT NOT NULL,
        body TEXT NOT NULL,
        hash TEXT NOT NULL
      ) STRICT;
      CREATE TABLE ledger_head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL
      ) STRICT;
      INSERT INTO ledger_head (id, seq, hash) VALUES (1, 0, 'sha256:${"0".repeat(64)}');
      CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'ledger events are append-only'); END;
      CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'ledger events are append-only'); END;
    `,
  },
];
