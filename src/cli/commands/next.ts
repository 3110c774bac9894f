import type { Command } from "commander";
import type { CommandContext } from "../command-context.js";
import { deferredAction } from "../deferred-action.js";

export function registerNext(program: Command, context: () => CommandContext): void {
  program
    .command("next")
    .description("leave a run's next pointer: one line saying what to do next")
    .argument("<run>", "a run id, or a unique prefix of one")
    .argument("<line>", "what to do next")
    .action(deferredAction(context, async () => (await import("../actions/next.js")).leaveNext));
}
