import type { CommandContext } from "./command-context.js";

/** What a command does, given its context and commander's arguments (its operands, then its flags). */
export type CommandAction<A extends unknown[]> = (ctx: CommandContext, ...args: A) => Promise<void>;

/**
 * A command's action whose implementation is imported only when the command runs: every start
 * registers every command, and loading each one's use cases, views and backends cost a read
 * command (and `--version`) most of its start-up.
 */
export function deferredAction<A extends unknown[]>(context: () => CommandContext, load: () => Promise<CommandAction<A>>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const action = await load();
    await action(context(), ...args);
  };
}
