import { connect } from "node:net";
import { ERROR_CANON, RunledgerError, type ErrorCode } from "../core/errors.js";
import { readBoundedLines } from "./bounded-lines.js";

/** The longest answer taken: an effect's result is meant for a command to read, not a bulk transfer. */
export const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

/**
 * Calls an effect through the socket at `path` and resolves to its result; an error answer
 * rejects with the RunledgerError it names. Used by `runledger effect`, with its attempt's token.
 * Whatever goes wrong on the way (no socket at the path, a path that is not a socket, a connection
 * closed before a whole answer, an answer that is not JSON) rejects with ERR_EFFECT_FAILED; it never
 * leaves an 'error' event unhandled.
 */
export async function callEffectSocket(path: string, token: string, effect: string, payload: unknown): Promise<unknown> {
  const failed = (detail: string) => new RunledgerError("ERR_EFFECT_FAILED", { detail });
  const socket = connect(path);
  let problem: Error | undefined;
  // Kept for the connection's life: a second 'error' after the first must not go unhandled either.
  socket.on("error", (error) => (problem ??= error));
  try {
    let line: string | undefined;
    let overlong = false;
    socket.once("connect", () => socket.write(`${JSON.stringify({ token, effect, payload })}\n`));
    await readBoundedLines(
      socket,
      { maxBytes: MAX_ANSWER_BYTES, unterminated: "drop" },
      {
        line: (text) => {
          line ??= text;
          socket.destroy();
        },
        overflow: () => {
          overlong = true;
          socket.destroy();
        },
      },
    );
    if (overlong) throw failed(`the answer from the effects socket ${path} is over ${MAX_ANSWER_BYTES} bytes`);
    if (line === undefined) {
      throw failed(
        problem
          ? `cannot reach the effects socket ${path}: ${problem.message}`
          : `the effects socket ${path} closed without an answer (has the attempt ended?)`,
      );
    }
    return parseAnswer(line, path);
  } finally {
    socket.destroy();
  }
}

function parseAnswer(line: string, path: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new RunledgerError("ERR_EFFECT_FAILED", { detail: `the effects socket ${path} answered with something that is not JSON` });
  }
  const answer = (typeof parsed === "object" && parsed !== null ? parsed : {}) as {
    ok?: unknown;
    result?: unknown;
    error?: { code?: unknown; detail?: unknown };
  };
  if (answer.ok === true) return answer.result ?? null;
  const code = typeof answer.error?.code === "string" && Object.hasOwn(ERROR_CANON, answer.error.code) ? (answer.error.code as ErrorCode) : "ERR_EFFECT_FAILED";
  const detail =
    typeof answer.error?.detail === "string"
      ? answer.error.detail
      : answer.ok === false
        ? "the engine refused the call"
        : `the effects socket ${path} answered with JSON that is not an answer`;
  throw new RunledgerError(code, { detail });
}
