import type { Action } from "../usecases/actions.js";
import { resolveActor } from "./actor.js";
import { CommandContext, type GlobalOptions } from "./command-context.js";
import { COMMAND_ACTIONS } from "./command-roles.js";
import type { Output } from "./output.js";
import { resolveToken } from "./token.js";

/**
 * The context of the command about to run (`artifacts get`): its action to authorize, its actor
 * and its token. Loaded only once commander has chosen a command, so `--help`, `--version` and
 * usage errors load none of it.
 */
export function startCommand(output: Output, options: GlobalOptions, path: string): CommandContext {
  const ctx = new CommandContext(output.io, output, options);
  ctx.command = { path, action: Object.hasOwn(COMMAND_ACTIONS, path) ? (COMMAND_ACTIONS[path] as Action | null) : undefined };
  // Who acts and with which token is settled before any work: a bad actor or a missing token
  // file is refused at once, whether or not the command turns out to need them.
  resolveActor(ctx.options.actor, output.io.env);
  ctx.token = resolveToken(ctx.options, output.io, output);
  return ctx;
}
