import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalJson } from "../src/core/canonical-json.js";
import { SERVICE_ACTOR } from "../src/ledger/conformance/sample-events.js";
import { runLedgerConformance } from "../src/ledger/conformance/ledger-conformance.js";
import { readModelConformance } from "../src/ledger/conformance/read-model-conformance.js";
import type { PendingRow, StoredRow } from "../src/ledger/hash-chain.js";
import { Ledger } from "../src/ledger/ledger.js";
import type { NewEvent } from "../src/ledger/ledger-event.js";
import { PostgresLedgerStore } from "../src/ledger/postgres/postgres-ledger-store.js";
import { openWorkspace } from "../src/workspace/workspace.js";
import { startPostgres, type PostgresServer } from "./support/postgres-server.js";

let server: PostgresServer | undefined;

beforeAll(async () => {
  server = await startPostgres();
});

afterAll(async () => {
  await server?.stop();
});

// runLedgerConformance registers its tests at collection time, before beforeAll has a server.
const connectionString = (): string => {
  if (!server) throw new Error("the postgres server did not start");
  return server.connectionString;
};

const freshSchema = () => `t_${randomBytes(6).toString("hex")}`;

async function withClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: connectionString() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

runLedgerConformance("postgres", {
  async open() {
    const schema = freshSchema();
    const s = pg.escapeIdentifier(schema);
    const stores: PostgresLedgerStore[] = [];
    const make = async () => {
      const store = await PostgresLedgerStore.open({ connectionString: connectionString(), schema, poolSize: 4 });
      stores.push(store);
      return store;
    };
    return {
      store: await make(),
      reopen: make,
      rawRows: () =>
        withClient(async (client) => {
          const result = await client.query<StoredRow & { seq: string }>(`SELECT seq, type, project, body, prev, hash FROM ${s}.events ORDER BY seq`);
          return result.rows.map((row) => ({ ...row, seq: Number(row.seq) }));
        }),
      rawOverwrite: (rows) =>
        withClient(async (client) => {
          await client.query("BEGIN");
          await client.query(`ALTER TABLE ${s}.events DISABLE TRIGGER USER`);
          await client.query(`DELETE FROM ${s}.events`);
          for (const r of rows) {
            await client.query(`INSERT INTO ${s}.events (seq, type, project, body, prev, hash) VALUES ($1, $2, $3, $4, $5, $6)`, [
              r.seq,
              r.type,
              r.project,
              r.body,
              r.prev,
              r.hash,
            ]);
          }
          await client.query(`ALTER TABLE ${s}.events ENABLE TRIGGER USER`);
          await client.query("COMMIT");
        }),
      destroy: async () => {
        for (const store of stores) await store.close();
        await withClient((client) => client.query(`DROP SCHEMA ${s} CASCADE`));
      },
    };
  },
});

readModelConformance("postgres", async () => {
  const schema = freshSchema();
  const stores: PostgresLedgerStore[] = [];
  const make = async (bare = false) => {
    const store = await PostgresLedgerStore.open({ connectionString: connectionString(), schema, poolSize: 4, readModels: !bare });
    stores.push(store);
    return store;
  };
  return {
    store: await make(),
    reopen: make,
    tamper: (sql) => withClient(async (client) => client.query(`SET search_path TO ${pg.escapeIdentifier(schema)}; ${sql}`)).then(() => undefined),
    destroy: async () => {
      for (const store of stores) await store.close();
      await withClient((client) => client.query(`DROP SCHEMA ${pg.escapeIdentifier(schema)} CASCADE`));
    },
  };
});

describe("postgres ledger store", () => {
  const open = (schema: string, options: { durability?: "full" | "normal" } = {}) =>
    PostgresLedgerStore.open({ connectionString: connectionString(), schema, ...options });
  const dropSchema = (schema: string) => withClient((client) => client.query(`DROP SCHEMA ${pg.escapeIdentifier(schema)} CASCADE`));
  const event = (run: string, i: number): NewEvent => ({ type: "run.started", project: "p", actor: SERVICE_ACTOR, data: { run_id: `${run}-${i}` } });

  it("two stores with separate pools appending at once keep one unbroken chain", async () => {
    const schema = freshSchema();
    const [a, b] = await Promise.all([open(schema), open(schema)]);
    // Straight to the store, bypassing the Ledger's group commit, so each batch is its own transaction;
    // several lanes per store keep both pools contending for the head lock.
    const appendBatches = (store: PostgresLedgerStore, name: string) =>
      Promise.all(
        Array.from({ length: 4 }, async (_, lane) => {
          for (let batch = lane; batch < 200; batch += 4) {
            const stored = await store.append(Array.from({ length: 10 }, (_, i) => pendingRow(`${name}-${batch}-${i}`)));
            expect(stored.at(-1)!.seq - stored[0]!.seq).toBe(9);
          }
        }),
      );
    await Promise.all([appendBatches(a, "a"), appendBatches(b, "b")]);
    expect((await a.head()).seq).toBe(4000);
    const report = await new Ledger(b).verify();
    expect(report).toMatchObject({ ok: true, checked: 4000 });
    await Promise.all([a.close(), b.close()]);
    await dropSchema(schema);
  });

  it("creates a schema once when several processes open it at the same moment", async () => {
    const schema = freshSchema();
    const stores = await Promise.all(Array.from({ length: 6 }, () => open(schema)));
    const versions = await withClient((client) => client.query(`SELECT version FROM ${pg.escapeIdentifier(schema)}.schema_migrations`));
    expect(versions.rows).toEqual([{ version: 1 }]);
    expect(stores[0]?.capabilities).toEqual({ backend: "postgres", multiProcess: true, multiMachine: true, durability: "full" });
    await Promise.all(stores.map((store) => store.close()));
    await dropSchema(schema);
  });

  it("refuses updates and deletes of events at the database", async () => {
    const schema = freshSchema();
    const store = await open(schema, { durability: "normal" });
    expect(store.capabilities.durability).toBe("normal");
    await new Ledger(store).append([event("r", 1), event("r", 2)]);
    const s = pg.escapeIdentifier(schema);
    await withClient(async (client) => {
      for (const sql of [`UPDATE ${s}.events SET body = '{}'`, `DELETE FROM ${s}.events`, `TRUNCATE ${s}.events`]) {
        await expect(client.query(sql)).rejects.toThrow("append-only");
      }
    });
    expect((await store.head()).seq).toBe(2);
    await store.close();
    await dropSchema(schema);
  });

  it("reports an unreachable server as ERR_STORAGE without the password", async () => {
    const url = new URL(connectionString());
    url.password = "s3cret-pw";
    url.port = "1";
    const error = await PostgresLedgerStore.open({ connectionString: url.toString() }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "ERR_STORAGE", message: expect.stringContaining("postgres:") });
    expect(String((error as Error).message)).not.toContain("s3cret-pw");
    expect(JSON.stringify((error as { context: unknown }).context)).not.toContain("s3cret-pw");
  });
});

/** A row as Ledger.append would build it for a `run.started` event. */
function pendingRow(runId: string): PendingRow {
  const body = canonicalJson({ actor: SERVICE_ACTOR, at: "2026-03-04T05:06:07.089Z", data: { run_id: runId } });
  return { type: "run.started", project: "p", body };
}

describe("a workspace on the postgres backend", () => {
  it("opens from runledger.json (pg loaded on demand), appends and verifies", async () => {
    const root = mkdtempSync(join(tmpdir(), "runledger-pg-ws-"));
    const schema = freshSchema();
    writeFileSync(
      join(root, "runledger.json"),
      JSON.stringify({ name: "pg", project: "default", ledger: { backend: "postgres", connectionStringEnv: "BENCH_PG_URL", schema } }),
    );
    const ws = await openWorkspace(root, { env: { BENCH_PG_URL: connectionString() } });
    try {
      expect(ws.ledger.capabilities.backend).toBe("postgres");
      await ws.ledger.append([{ type: "run.started", project: "default", actor: SERVICE_ACTOR, data: { run_id: "r1" } }]);
      expect(await ws.ledger.verify()).toMatchObject({ ok: true, checked: 1 });
    } finally {
      await ws.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
