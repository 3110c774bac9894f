import { mkdtemp, rm } from "node:fs/promises";
import { connect, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { ERROR_CANON, RunledgerError, toRunledgerError, type ErrorCode } from "../core/errors.js";
import type { EffectsClient } from "../operators/operator-definition.js";

/** The environment variable naming the effects socket of a command operator's attempt. */
export const EFFECTS_SOCKET_ENV = "RUNLEDGER_EFFECTS_SOCKET";

/** A served effects socket: its path, and how to stop it. */
export interface EffectsSocket {
  readonly path: string;
  close(): Promise<void>;
}

/** A unix socket's path must fit in sun_path (108 bytes on Linux, 104 on macOS). */
const SOCKET_PATH_MAX = 100;

/** The system temp dir, or /tmp when a long TMPDIR would make the socket's path too long to listen on. */
function socketBase(): string {
  const base = tmpdir();
  return Buffer.byteLength(join(base, "runledger-fx-XXXXXX", "effects.sock")) <= SOCKET_PATH_MAX ? base : "/tmp";
}

/**
 * Serves an attempt's effects client on a unix socket in a fresh private directory under the
 * system temp dir (see socketBase). Protocol: newline-delimited JSON; each request line `{"effect": name,
 * "payload": …}` gets one answer line, `{"ok": true, "result": …}` or `{"ok": false, "error":
 * {"code", "detail"}}`. `close` stops it, drops open connections and removes the directory.
 */
export async function serveEffects(client: EffectsClient): Promise<EffectsSocket> {
  const dir = await mkdtemp(join(socketBase(), "runledger-fx-"));
  const path = join(dir, "effects.sock");
  const open = new Set<Socket>();
  const server = createServer((socket) => {
    open.add(socket);
    socket.once("close", () => open.delete(socket));
    socket.on("error", () => socket.destroy());
    const lines = createInterface({ input: socket, crlfDelay: Infinity });
    lines.on("line", (line) => {
      void answer(client, line).then((reply) => {
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
  return {
    path,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of open) socket.destroy();
      await closed;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function answer(client: EffectsClient, line: string): Promise<unknown> {
  try {
    let request: unknown;
    try {
      request = JSON.parse(line);
    } catch {
      throw new RunledgerError("ERR_EFFECT_PAYLOAD", { detail: "a request is one line of JSON: {\"effect\": name, \"payload\": …}" });
    }
    const { effect, payload } = (typeof request === "object" && request !== null ? request : {}) as { effect?: unknown; payload?: unknown };
    if (typeof effect !== "string") throw new RunledgerError("ERR_EFFECT_PAYLOAD", { detail: "a request names its effect: {\"effect\": name, \"payload\": …}" });
    return { ok: true, result: await client.call(effect, payload) };
  } catch (error) {
    const wrapped = toRunledgerError(error, "ERR_EFFECT_FAILED");
    return { ok: false, error: { code: wrapped.code, detail: wrapped.detail ?? wrapped.message } };
  }
}

/**
 * Calls an effect through the socket at `path` and resolves to its result; an error answer
 * rejects with the RunledgerError it names. Used by `runledger effect`.
 */
export async function callEffectSocket(path: string, effect: string, payload: unknown): Promise<unknown> {
  const socket = connect(path);
  try {
    const reply = await new Promise<string>((resolve, reject) => {
      socket.once("error", (error) => reject(new RunledgerError("ERR_EFFECT_FAILED", { detail: `cannot reach the effects socket ${path}: ${error.message}` })));
      socket.once("connect", () => socket.write(`${JSON.stringify({ effect, payload })}\n`));
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
