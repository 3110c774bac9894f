import { RunledgerError } from "../../core/errors.js";
import { callEffectSocket } from "../../engine/effects-call.js";
import { EFFECTS_SOCKET_ENV, EFFECTS_TOKEN_ENV } from "../../engine/effects-socket.js";
import type { CommandContext } from "../command-context.js";
import type { CommandResult } from "../../views/command-result.js";

/**
 * `runledger effect <name>`: a command operator's effects client. It talks only to the socket its
 * attempt was given (RUNLEDGER_EFFECTS_SOCKET), with the attempt's token (RUNLEDGER_EFFECTS_TOKEN),
 * never to a workspace, and prints the result JSON.
 */
export async function callEffect(ctx: CommandContext, name: string, flags: { payload?: string }): Promise<void> {
  const socket = ctx.io.env[EFFECTS_SOCKET_ENV];
  if (socket === undefined || socket === "") {
    throw new RunledgerError("ERR_USAGE", {
      detail: `${EFFECTS_SOCKET_ENV} is not set: runledger effect works inside a command operator's attempt, which the engine gives that socket`,
    });
  }
  const text = flags.payload ?? (await readStdin(ctx));
  let payload: unknown = null;
  if (text.trim() !== "") {
    try {
      payload = JSON.parse(text);
    } catch (error) {
      throw new RunledgerError("ERR_EFFECT_PAYLOAD", { detail: `the payload is not JSON: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
  const result = await callEffectSocket(socket, ctx.io.env[EFFECTS_TOKEN_ENV] ?? "", name, payload);
  ctx.output.success({ effect: name, result } satisfies CommandResult<"effect">, JSON.stringify(result));
}

async function readStdin(ctx: CommandContext): Promise<string> {
  const stdin = ctx.io.stdin;
  if (stdin === undefined || stdin.isTTY === true) return "";
  let text = "";
  for await (const chunk of stdin) text += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
  return text;
}
