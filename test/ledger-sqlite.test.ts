import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { StoredRow } from "../src/ledger/hash-chain.js";
import { runLedgerConformance } from "../src/ledger/conformance/ledger-conformance.js";
import { SqliteLedgerStore } from "../src/ledger/sqlite/sqlite-ledger-store.js";

runLedgerConformance("sqlite", {
  async open() {
    const dir = mkdtempSync(join(tmpdir(), "runledger-sqlite-"));
    const path = join(dir, "ledger.db");
    const stores: SqliteLedgerStore[] = [];
    const make = () => {
      const store = new SqliteLedgerStore(path);
      stores.push(store);
      return store;
    };
    const raw = <T>(work: (db: Database.Database) => T): T => {
      const db = new Database(path);
      try {
        return work(db);
      } finally {
        db.close();
      }
    };
    return {
      store: make(),
      reopen: async () => make(),
      // SQLite keeps no prev column: the chain's prev is the previous row's hash.
      rawRows: async () => raw((db) => db.prepare("SELECT seq, type, project, body, '' AS prev, hash FROM events ORDER BY rowid").all() as StoredRow[]),
      rawOverwrite: async (rows) =>
        raw((db) => {
          db.exec("DROP TRIGGER events_append_only_update; DROP TRIGGER events_append_only_delete; DELETE FROM events;");
          const insert = db.prepare("INSERT INTO events (seq, type, project, body, hash) VALUES (?, ?, ?, ?, ?)");
          for (const r of rows) insert.run(r.seq, r.type, r.project, r.body, r.hash);
        }),
      destroy: async () => {
        for (const store of stores) await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
});
