import pg from "pg";
import type { Digest } from "../../core/digest.js";
import { RunledgerError } from "../../core/errors.js";
import { sealRows, type ChainHead, type PendingRow, type StoredRow } from "../hash-chain.js";
import { BatchingWriter, sealedGroup, type LedgerCapabilities, type LedgerStore, type LedgerWriter, type ScanQuery } from "../ledger-store.js";
import type { GroupDeriver } from "../read-models/read-model-store.js";
import { applyPostgresMigrations } from "./migrations.js";
import { PostgresReadModels } from "./postgres-read-models.js";
import { inTransaction } from "./postgres-transaction.js";
import { READ_MODEL_VERSION } from "../read-models/read-model-version.js";
import { ensureReadModelTables } from "./read-model-tables.js";

export interface PostgresLedgerOptions {
  /** A `postgres://user:password@host:port/database` URL; it may hold a password, so it never appears in errors. */
  readonly connectionString: string;
  /** The schema holding the ledger's tables, created if missing; defaults to `runledger`. */
  readonly schema?: string;
  /** `full` waits for the commit record to be flushed (the default); `normal` may lose the last commits if the server crashes, never corrupt them. */
  readonly durability?: "full" | "normal";
  /** Connections the store's pool may hold; defaults to 10. */
  readonly poolSize?: number;
  /** Keep the read models (src/ledger/read-models/) in the schema, written by every commit; tables created where missing. */
  readonly readModels?: boolean;
}

interface HeadRow {
  seq: number;
  hash: Digest;
}

const INT8_OID = 20;
const COLUMNS = "seq, type, project, body, prev, hash";
// Keeps each INSERT's bind message well below Postgres's 1 GB limit however large the batch.
const CHUNK_ROWS = 5_000;
const CHUNK_BYTES = 16 * 1024 * 1024;

// Per-pool, not pg.types.setTypeParser, so other pg users in the process keep their int8 parsing.
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8_OID && format !== "binary" ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig["getTypeParser"],
};

/**
 * The shared ledger backend: tables in one Postgres schema, written by any number of processes on
 * any number of machines. Writers serialize on a row lock of the head (`SELECT … FOR UPDATE`),
 * under which the head is read, the rows sealed and inserted, and the head moved, in one transaction.
 */
export class PostgresLedgerStore implements LedgerStore {
  readonly capabilities: LedgerCapabilities;
  readonly readModels: PostgresReadModels | undefined;
  private readonly begin: string;
  private readonly sql: { readonly head: string; readonly lockHead: string; readonly insert: string; readonly moveHead: string; readonly events: string };
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly pool: pg.Pool,
    schema: string,
    durability: "full" | "normal",
    private readonly secrets: readonly string[],
    readModels: boolean,
  ) {
    this.readModels = readModels ? new PostgresReadModels(pool, schema, (operation) => this.attempt(operation)) : undefined;
    this.capabilities = { backend: "postgres", multiProcess: true, multiMachine: true, durability };
    // SET LOCAL rides in BEGIN's round trip and only touches appends, so it also holds behind transaction poolers.
    this.begin = durability === "normal" ? "BEGIN; SET LOCAL synchronous_commit = off" : "BEGIN";
    const s = pg.escapeIdentifier(schema);
    this.sql = {
      head: `SELECT seq, hash FROM ${s}.ledger_head WHERE id = 1`,
      lockHead: `SELECT seq, hash FROM ${s}.ledger_head WHERE id = 1 FOR UPDATE`,
      insert: `INSERT INTO ${s}.events (${COLUMNS})
        SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])`,
      moveHead: `UPDATE ${s}.ledger_head SET seq = $1, hash = $2 WHERE id = 1`,
      events: `${s}.events`,
    };
  }

  /** Connects, creates or migrates the schema, and returns a ready store; throws ERR_STORAGE if the database is unreachable. */
  static async open(options: PostgresLedgerOptions): Promise<PostgresLedgerStore> {
    const schema = options.schema ?? "runledger";
    const secrets = secretsOf(options.connectionString);
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      types,
      application_name: "runledger",
    });
    // An idle client that loses its server emits here; without a listener Node would crash, and the next query reports it.
    pool.on("error", () => undefined);
    try {
      const client = await pool.connect();
      try {
        await applyPostgresMigrations(client, schema);
        if (options.readModels) await ensureReadModelTables(client, schema, READ_MODEL_VERSION);
        client.release();
      } catch (error) {
        client.release(error instanceof Error ? error : true);
        throw error;
      }
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw storageError(error, secrets);
    }
    return new PostgresLedgerStore(pool, schema, options.durability ?? "full", secrets, options.readModels ?? false);
  }

  writer(): LedgerWriter {
    return new BatchingWriter(async (pending, derive) => sealedGroup(await this.append(pending, derive)));
  }

  /**
   * Atomically appends the rows after the current head, under the head's row lock; one transaction.
   * Given `derive` (a store with read models), writes what derives from the rows in it too.
   */
  append(pending: readonly PendingRow[], derive?: GroupDeriver): Promise<StoredRow[]> {
    if (pending.length === 0) return Promise.resolve([]);
    return this.attempt(() =>
      inTransaction(this.pool, this.begin, async (client) => {
        const head = (await client.query<HeadRow>(this.sql.lockHead)).rows[0] as HeadRow;
        const sealed = sealRows(head, pending);
        if (derive && this.readModels) await this.readModels.applyDerived(client, derive, head.seq);
        for (const chunk of chunks(sealed)) {
          await client.query(this.sql.insert, [
            chunk.map((r) => r.seq),
            chunk.map((r) => r.type),
            chunk.map((r) => r.project),
            chunk.map((r) => r.body),
            chunk.map((r) => r.prev),
            chunk.map((r) => r.hash),
          ]);
        }
        const last = sealed.at(-1) as StoredRow;
        await client.query(this.sql.moveHead, [last.seq, last.hash]);
        return sealed;
      }),
    );
  }

  head(): Promise<ChainHead> {
    return this.attempt(async () => {
      const result = await this.pool.query<HeadRow>(this.sql.head);
      return result.rows[0] as HeadRow;
    });
  }

  scan(query: ScanQuery): Promise<StoredRow[]> {
    return this.attempt(async () => {
      const params: unknown[] = [query.afterSeq];
      const where = ["seq > $1"];
      if (query.project !== undefined) {
        params.push(query.project);
        where.push(`project = $${params.length}`);
      }
      if (query.types && query.types.length > 0) {
        params.push(query.types);
        where.push(`type = ANY($${params.length}::text[])`);
      }
      params.push(query.limit);
      const sql = `SELECT ${COLUMNS} FROM ${this.sql.events} WHERE ${where.join(" AND ")} ORDER BY seq LIMIT $${params.length}`;
      return (await this.pool.query<StoredRow>(sql, params)).rows;
    });
  }

  /** Ends the pool once; later calls wait for the same shutdown. */
  close(): Promise<void> {
    this.closing ??= this.attempt(() => this.pool.end());
    return this.closing;
  }

  private async attempt<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw storageError(error, this.secrets);
    }
  }
}

function* chunks(rows: readonly StoredRow[]): Generator<StoredRow[]> {
  let chunk: StoredRow[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = row.body.length + row.project.length + row.type.length + 160;
    if (chunk.length > 0 && (chunk.length >= CHUNK_ROWS || bytes + size > CHUNK_BYTES)) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(row);
    bytes += size;
  }
  if (chunk.length > 0) yield chunk;
}

/** The strings that must never reach an error: the connection string and the password inside it. */
function secretsOf(connectionString: string): string[] {
  const secrets = [connectionString];
  try {
    const password = decodeURIComponent(new URL(connectionString).password);
    if (password) secrets.push(password);
  } catch {
    // Malformed: redacting the whole string is all we can do.
  }
  return secrets.filter((s) => s.length > 0);
}

function storageError(error: unknown, secrets: readonly string[]): RunledgerError {
  // Already named (the read models behind the head, say): a database error is what gets redacted and wrapped.
  if (error instanceof RunledgerError) return error;
  const redact = (text: string) => secrets.reduce((out, secret) => out.split(secret).join("***"), text);
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  // Node's URL errors carry the parsed string in `input`; a cause holding a secret is replaced by a redacted copy.
  const leaks = [message, (error as { input?: unknown } | null)?.input, (error as { stack?: unknown } | null)?.stack].some(
    (value) => typeof value === "string" && secrets.some((secret) => value.includes(secret)),
  );
  const cause = leaks ? Object.assign(new Error(redact(message)), { code }) : error;
  return new RunledgerError("ERR_STORAGE", { detail: `postgres: ${redact(message)}`, cause, context: { code } });
}
