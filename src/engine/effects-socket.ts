import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { RunledgerError, toRunledgerError } from "../core/errors.js";
import type { EffectsClient } from "../operators/operator-definition.js";
import { readBoundedLines } from "./bounded-lines.js";
import { EFFECTS_SOCKET_NAME, effectsSocketBase, makeEffectsDir } from "./effects-dir.js";
import { sweepStaleEffectsDirs } from "./effects-sweep.js";

/** The environment variable naming the effects socket of a command operator's attempt. */
export const EFFECTS_SOCKET_ENV = "RUNLEDGER_EFFECTS_SOCKET";

/** The environment variable holding the attempt's token, which its requests carry. */
export const EFFECTS_TOKEN_ENV = "RUNLEDGER_EFFECTS_TOKEN";

/** The longest request line taken, newline excluded: 1 MiB. Large data belongs in an output. */
export const MAX_REQUEST_BYTES = 1024 * 1024;
/** The most requests one attempt may send; the next fails the attempt. */
export const MAX_REQUESTS_PER_ATTEMPT = 1000;
/** The most connections a run's socket holds at once, and one attempt of them. */
export const MAX_CONNECTIONS = 64;
export const MAX_CONNECTIONS_PER_ATTEMPT = 16;
/** A connection that has not named an attempt by then is dropped: it holds a place for nobody. */
const UNTIED_IDLE_MS = 30_000;

/** What a seat's client does besides calls: take the failure the socket imposes on its attempt. */
export interface SocketClient extends EffectsClient {
  /** Fails the attempt whatever its command does next (it broke one of the socket's limits). */
  failAttempt(error: RunledgerError): void;
}

/** One attempt's place on the socket: where to call, with which token, and how to leave. */
export interface EffectsSeat {
  readonly path: string;
  readonly token: string;
  /** Unregisters the attempt's client and drops its open connections. */
  release(): void;
}

interface Seat {
  readonly client: SocketClient;
  readonly sockets: Set<Socket>;
  requests: number;
  /** The limit the attempt broke: every later request of it is refused with it. */
  failed?: RunledgerError;
}

/** A connection, and the attempt it is tied to once a request of it named one. */
interface Connection {
  readonly socket: Socket;
  seat?: Seat;
}

/** A token is 16 random bytes in hex, the first field of a request as `runledger effect` writes it. */
const LEADING_TOKEN = /^\s*\{\s*"token"\s*:\s*"([0-9a-f]{32})"/;

/**
 * One run's effects socket, a unix socket in a fresh private directory under the system temp dir
 * (see effectsSocketBase), listening from the first command attempt that registers until `close`;
 * an engine killed mid-run leaves its directory, which a later run's sweep removes (effects-sweep.ts).
 * Each attempt's client is registered under a random token its command is given; a request
 * reaches only the client of its token. One socket per run rather than per attempt: opening and
 * closing one cost each command attempt about half a millisecond of the engine's event loop.
 * Protocol: newline-delimited JSON; each request line `{"token", "effect": name, "payload": …}`
 * gets one answer line, `{"ok": true, "result": …}` or `{"ok": false, "error": {"code", "detail"}}`,
 * in order (a connection's requests are taken one at a time). Limits (ERR_EFFECTS_LIMIT): a request
 * line over MAX_REQUEST_BYTES is answered once and its connection dropped, and fails the attempt
 * it names (by the connection's earlier requests, or a leading token field); so does a request
 * past MAX_REQUESTS_PER_ATTEMPT; connections past MAX_CONNECTIONS (per attempt,
 * MAX_CONNECTIONS_PER_ATTEMPT) are refused. What the socket's own code throws is an engine error,
 * handed to `onEngineError` (which halts the run); it never escapes into the event loop.
 */
export class EffectsSocket {
  readonly #seats = new Map<string, Seat>();
  readonly #connections = new Set<Socket>();
  #listening: Promise<{ server: Server; dir: string; path: string }> | undefined;

  constructor(private readonly onEngineError: (error: unknown) => void) {}

  /** Registers an attempt's client, listening first if this is the first. */
  async register(client: SocketClient): Promise<EffectsSeat> {
    const { path } = await (this.#listening ??= this.#listen());
    const token = randomBytes(16).toString("hex");
    const seat: Seat = { client, sockets: new Set<Socket>(), requests: 0 };
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

  /** Stops listening, drops every connection (those that never named an attempt too) and removes the directory. */
  async close(): Promise<void> {
    const listening = await this.#listening?.catch(() => undefined);
    if (!listening) return;
    const closed = new Promise<void>((resolve) => listening.server.close(() => resolve()));
    for (const socket of this.#connections) socket.destroy();
    this.#seats.clear();
    await closed;
    await rm(listening.dir, { recursive: true, force: true });
  }

  async #listen(): Promise<{ server: Server; dir: string; path: string }> {
    const base = effectsSocketBase();
    const dir = await makeEffectsDir(base);
    const path = join(dir, EFFECTS_SOCKET_NAME);
    // Half-open: a peer that sends its requests and then its end still gets every answer; the
    // connection is ended here once its last request is answered.
    const server = createServer({ allowHalfOpen: true }, (socket) => this.#guard(socket, () => this.#accept(socket)));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(path, () => {
        server.off("error", reject);
        resolve();
      });
    }).catch(async (error: unknown) => {
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
      throw error;
    });
    server.on("error", (error) => this.onEngineError(error));
    // The socket never keeps the engine alive: attempts in flight do.
    server.unref();
    // Once per run, in the background: what engines killed mid-run left behind.
    void sweepStaleEffectsDirs(base).catch(() => undefined);
    return { server, dir, path };
  }

  /** Runs a callback of the server: what it throws drops the connection and goes to onEngineError. */
  #guard(socket: Socket, callback: () => unknown): void {
    try {
      void Promise.resolve(callback()).catch((error: unknown) => this.#engineError(socket, error));
    } catch (error) {
      this.#engineError(socket, error);
    }
  }

  #engineError(socket: Socket, error: unknown): void {
    socket.destroy();
    this.onEngineError(error);
  }

  #accept(socket: Socket): Promise<void> | undefined {
    socket.on("error", () => socket.destroy());
    if (this.#connections.size >= MAX_CONNECTIONS) return refuse(socket, limitError(`the effects socket holds at most ${MAX_CONNECTIONS} connections at once`));
    this.#connections.add(socket);
    socket.once("close", () => this.#connections.delete(socket));
    const connection: Connection = { socket };
    socket.setTimeout(UNTIED_IDLE_MS, () => {
      if (connection.seat === undefined) socket.destroy();
    });
    return readBoundedLines(
      socket,
      { maxBytes: MAX_REQUEST_BYTES, unterminated: "line" },
      {
        line: (line) => this.#request(connection, line),
        overflow: (head) => this.#overflow(connection, head),
      },
    ).then(() => {
      if (!socket.writableEnded) socket.end(() => socket.destroy());
    });
  }

  async #request(connection: Connection, line: string): Promise<void> {
    const { socket } = connection;
    // Refused: what the peer sent after that is not taken.
    if (socket.writableEnded) return;
    const request = parseRequest(line);
    const seat = request.token === undefined ? undefined : this.#seats.get(request.token);
    // A request that names no attempt is answered, and its connection dropped: it is tied to no one.
    if (seat === undefined) {
      const error =
        request.error ??
        new RunledgerError("ERR_EFFECT_FAILED", {
          detail: `no attempt holds that token (has the attempt ended? the command's ${EFFECTS_TOKEN_ENV} names its own)`,
        });
      return connection.seat === undefined ? refuse(socket, error) : answer(socket, errorAnswer(error));
    }
    if (!this.#tie(connection, seat))
      return refuse(socket, limitError(`an attempt holds at most ${MAX_CONNECTIONS_PER_ATTEMPT} connections to the effects socket at once`));
    if (seat.failed === undefined && ++seat.requests > MAX_REQUESTS_PER_ATTEMPT) {
      this.#fail(seat, limitError(`an attempt sends at most ${MAX_REQUESTS_PER_ATTEMPT} requests to the effects socket`));
    }
    if (seat.failed !== undefined) return refuse(socket, seat.failed);
    if (request.error !== undefined || typeof request.effect !== "string") {
      return answer(
        socket,
        errorAnswer(
          request.error ?? new RunledgerError("ERR_EFFECT_PAYLOAD", { detail: 'a request names its effect: {"token", "effect": name, "payload": …}' }),
        ),
      );
    }
    let reply: unknown;
    try {
      reply = { ok: true, result: await seat.client.call(request.effect, request.payload) };
    } catch (error) {
      // The effect's failure is the caller's answer; the engine's own errors halt the run elsewhere.
      reply = errorAnswer(toRunledgerError(error, "ERR_EFFECT_FAILED"));
    }
    return answer(socket, reply);
  }

  /** An overlong request: answered once, dropped, and the attempt it names fails. */
  async #overflow(connection: Connection, head: Buffer): Promise<void> {
    const error = limitError(`a request line is at most ${MAX_REQUEST_BYTES} bytes (1 MiB); this one was longer, and its connection was dropped`);
    const token = LEADING_TOKEN.exec(head.toString("latin1"))?.[1];
    const seat = connection.seat ?? (token === undefined ? undefined : this.#seats.get(token));
    if (seat !== undefined) this.#fail(seat, error);
    await refuse(connection.socket, error);
  }

  /** Ties a connection to the attempt its request named; false when that attempt holds too many. */
  #tie(connection: Connection, seat: Seat): boolean {
    if (seat.sockets.has(connection.socket)) return true;
    if (seat.sockets.size >= MAX_CONNECTIONS_PER_ATTEMPT) return false;
    const { socket } = connection;
    connection.seat ??= seat;
    socket.setTimeout(0);
    seat.sockets.add(socket);
    socket.once("close", () => seat.sockets.delete(socket));
    return true;
  }

  #fail(seat: Seat, error: RunledgerError): void {
    if (seat.failed !== undefined) return;
    seat.failed = error;
    seat.client.failAttempt(error);
  }
}

interface ParsedRequest {
  readonly token?: string;
  readonly effect?: unknown;
  readonly payload?: unknown;
  readonly error?: RunledgerError;
}

function parseRequest(line: string): ParsedRequest {
  let request: unknown;
  try {
    request = JSON.parse(line);
  } catch {
    return { error: new RunledgerError("ERR_EFFECT_PAYLOAD", { detail: 'a request is one line of JSON: {"token", "effect": name, "payload": …}' }) };
  }
  const { token, effect, payload } = (typeof request === "object" && request !== null ? request : {}) as {
    token?: unknown;
    effect?: unknown;
    payload?: unknown;
  };
  return { ...(typeof token === "string" && { token }), effect, payload };
}

function limitError(detail: string): RunledgerError {
  return new RunledgerError("ERR_EFFECTS_LIMIT", { detail });
}

function errorAnswer(error: RunledgerError): unknown {
  return { ok: false, error: { code: error.code, detail: error.detail ?? error.message } };
}

/** Writes one answer line; waits while the peer is slow to read, so answers never pile up here. */
async function answer(socket: Socket, reply: unknown): Promise<void> {
  const text = `${JSON.stringify(reply)}\n`;
  if (socket.destroyed || !socket.writable) return;
  if (socket.write(text)) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      socket.off("drain", done);
      socket.off("close", done);
      resolve();
    };
    socket.on("drain", done);
    socket.on("close", done);
  });
}

/** Answers with `error` if the peer can still be written to, then drops the connection. */
function refuse(socket: Socket, error: RunledgerError): Promise<void> {
  // Already refused: the answers queued before that one are still being flushed.
  if (socket.writableEnded) return Promise.resolve();
  if (socket.destroyed || !socket.writable) {
    socket.destroy();
    return Promise.resolve();
  }
  // A peer that never reads would keep the connection; a second is plenty for one short line.
  const timer = setTimeout(() => socket.destroy(), 1000).unref();
  socket.end(`${JSON.stringify(errorAnswer(error))}\n`, () => {
    clearTimeout(timer);
    socket.destroy();
  });
  return Promise.resolve();
}
