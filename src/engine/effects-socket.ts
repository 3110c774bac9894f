import { lstat, mkdtemp, readdir, rm } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { connect, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { ERROR_CANON, RunledgerError, toRunledgerError, type ErrorCode } from "../core/errors.js";
import type { EffectsClient } from "../operators/operator-definition.js";

/** The environment variable naming the effects socket of a command operator's attempt. */
export const EFFECTS_SOCKET_ENV = "RUNLEDGER_EFFECTS_SOCKET";

/** The environment variable holding the attempt's token, which its requests carry. */
export const EFFECTS_TOKEN_ENV = "RUNLEDGER_EFFECTS_TOKEN";

/** A unix socket's path must fit in sun_path (108 bytes on Linux, 104 on macOS). */
const SOCKET_PATH_MAX = 100;

/** The system temp dir, or /tmp when a long TMPDIR would make the socket's path too long to listen on. */
function socketBase(): string {
  const base = tmpdir();
  return Buffer.byteLength(join(base, "runledger-fx-XXXXXX", "effects.sock")) <= SOCKET_PATH_MAX ? base : "/tmp";
}

const DIR_PREFIX = "runledger-fx-";
const SOCKET_NAME = "effects.sock";

/**
 * A directory still without a socket this long after it was made was left by an engine killed
 * between making it and listening, which takes it a few milliseconds.
 */
const UNLISTENED_AFTER_MS = 10 * 60_000;

/**
 * Removes the effects-socket directories under `base` that engines killed mid-run left behind: those
 * whose socket refused a connection twice, a moment apart (an engine binds its socket and listens
 * on it within one call, never longer), so no engine listens on it; and those still without a
 * socket ten minutes after they were made. A newer one without a socket may belong to an engine
 * about to listen, and is left. Best effort; resolves to how many went.
 */
export async function sweepStaleEffectsDirs(base: string = socketBase()): Promise<number> {
  const names = await readdir(base).catch(() => [] as string[]);
  const suspects = await staleDirs(names.filter((name) => name.startsWith(DIR_PREFIX)).map((name) => join(base, name)));
  if (suspects.length === 0) return 0;
  // Unreferenced: a sweep never keeps the engine alive, and one cut short is finished by the next.
  await new Promise((resolve) => setTimeout(resolve, 100).unref());
  const stale = await staleDirs(suspects);
  await Promise.all(stale.map((dir) => rm(dir, { recursive: true, force: true }).catch(() => undefined)));
  return stale.length;
}

/**
 * The directories whose socket refuses a connection, or that were never listened on (see
 * UNLISTENED_AFTER_MS); probed one at a time, to hold one descriptor.
 */
async function staleDirs(dirs: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const dir of dirs) {
    const path = join(dir, SOCKET_NAME);
    if (!(await lstat(path).then((info) => info.isSocket(), () => false))) {
      const made = await lstat(dir).then((info) => info.mtimeMs, () => Date.now());
      if (Date.now() - made > UNLISTENED_AFTER_MS) found.push(dir);
      continue;
    }
    const refused = await new Promise<boolean>((resolve) => {
      const probe = connect(path);
      probe.once("connect", () => {
        probe.destroy();
        resolve(false);
      });
      probe.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNREFUSED"));
    });
    if (refused) found.push(dir);
  }
  return found;
}

/** One attempt's place on the socket: where to call, with which token, and how to leave. */
export interface EffectsSeat {
  readonly path: string;
  readonly token: string;
  /** Unregisters the attempt's client and drops its open connections. */
  release(): void;
}

/**
 * One run's effects socket, a unix socket in a fresh private directory under the system temp dir
 * (see socketBase), listening from the first command attempt that registers until `close`; an
 * engine killed mid-run leaves its directory, which the next run's sweep removes. Each
 * attempt's effects client is registered under a random token its command is given; a request
 * reaches only the client of its token. One socket per run rather than per attempt: opening and
 * closing one cost each command attempt about half a millisecond of the engine's event loop.
 * Protocol: newline-delimited JSON; each request line `{"token", "effect": name, "payload": …}`
 * gets one answer line, `{"ok": true, "result": …}` or `{"ok": false, "error": {"code", "detail"}}`.
 */
export class EffectsSocket {
  readonly #seats = new Map<string, { readonly client: EffectsClient; readonly sockets: Set<Socket> }>();
  #listening: Promise<{ server: Server; dir: string; path: string }> | undefined;

  /** Registers an attempt's client, listening first if this is the first. */
  async register(client: EffectsClient): Promise<EffectsSeat> {
    const { path } = await (this.#listening ??= this.#listen());
    const token = randomBytes(16).toString("hex");
    const seat = { client, sockets: new Set<Socket>() };
    this.#seats.set(token, seat);
    return {
      path,
      token,
      release: () => {
        this.#seats.delete(token);
        for (const socket of seat.sockets) socket.destroy();
      },
    };
  }

  /** Stops listening, drops every connection and removes the directory. */
  async close(): Promise<void> {
    const listening = await this.#listening?.catch(() => undefined);
    if (!listening) return;
    const closed = new Promise<void>((resolve) => listening.server.close(() => resolve()));
    for (const seat of this.#seats.values()) for (const socket of seat.sockets) socket.destroy();
    this.#seats.clear();
    await closed;
    await rm(listening.dir, { recursive: true, force: true });
  }

  async #listen(): Promise<{ server: Server; dir: string; path: string }> {
    const base = socketBase();
    const dir = await mkdtemp(join(base, DIR_PREFIX));
    const path = join(dir, SOCKET_NAME);
    const server = createServer((socket) => {
      socket.on("error", () => socket.destroy());
      const lines = createInterface({ input: socket, crlfDelay: Infinity });
      lines.on("line", (line) => {
        void this.#answer(socket, line).then((reply) => {
          if (!socket.destroyed) socket.write(`${JSON.stringify(reply)}\n`);
        });
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(path, () => {
        server.off("error", reject);
        resolve();
      });
    });
    // The socket never keeps the engine alive: attempts in flight do.
    server.unref();
    // Once per run, in the background: what engines killed mid-run left behind.
    void sweepStaleEffectsDirs(base);
    return { server, dir, path };
  }

  async #answer(socket: Socket, line: string): Promise<unknown> {
    try {
      let request: unknown;
      try {
        request = JSON.parse(line);
      } catch {
        throw new RunledgerError("ERR_EFFECT_PAYLOAD", { detail: "a request is one line of JSON: {\"token\", \"effect\": name, \"payload\": …}" });
      }
      const { token, effect, payload } = (typeof request === "object" && request !== null ? request : {}) as { token?: unknown; effect?: unknown; payload?: unknown };
      const seat = typeof token === "string" ? this.#seats.get(token) : undefined;
      if (!seat) throw new RunledgerError("ERR_EFFECT_FAILED", { detail: `no attempt holds that token (has the attempt ended? the command's ${EFFECTS_TOKEN_ENV} names its own)` });
      if (!seat.sockets.has(socket)) {
        seat.sockets.add(socket);
        socket.once("close", () => seat.sockets.delete(socket));
      }
      if (typeof effect !== "string") throw new RunledgerError("ERR_EFFECT_PAYLOAD", { detail: "a request names its effect: {\"token\", \"effect\": name, \"payload\": …}" });
      return { ok: true, result: await seat.client.call(effect, payload) };
    } catch (error) {
      const wrapped = toRunledgerError(error, "ERR_EFFECT_FAILED");
      return { ok: false, error: { code: wrapped.code, detail: wrapped.detail ?? wrapped.message } };
    }
  }
}

/**
 * Calls an effect through the socket at `path` and resolves to its result; an error answer
 * rejects with the RunledgerError it names. Used by `runledger effect`, with its attempt's token.
 */
export async function callEffectSocket(path: string, token: string, effect: string, payload: unknown): Promise<unknown> {
  const socket = connect(path);
  try {
    const reply = await new Promise<string>((resolve, reject) => {
      socket.once("error", (error) => reject(new RunledgerError("ERR_EFFECT_FAILED", { detail: `cannot reach the effects socket ${path}: ${error.message}` })));
      socket.once("connect", () => socket.write(`${JSON.stringify({ token, effect, payload })}\n`));
      const lines = createInterface({ input: socket, crlfDelay: Infinity });
      lines.once("line", resolve);
      lines.once("close", () => reject(new RunledgerError("ERR_EFFECT_FAILED", { detail: `the effects socket ${path} closed without an answer (has the attempt ended?)` })));
    });
    const parsed = JSON.parse(reply) as { ok: boolean; result?: unknown; error?: { code?: string; detail?: string } };
    if (parsed.ok) return parsed.result ?? null;
    const code = parsed.error?.code !== undefined && Object.hasOwn(ERROR_CANON, parsed.error.code) ? (parsed.error.code as ErrorCode) : "ERR_EFFECT_FAILED";
    throw new RunledgerError(code, { detail: parsed.error?.detail ?? "the engine refused the call" });
  } finally {
    socket.destroy();
  }
}
