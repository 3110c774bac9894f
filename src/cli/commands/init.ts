import type { Command } from "commander";
import type { CommandContext } from "../command-context.js";
import { deferredAction } from "../deferred-action.js";

export function registerInit(program: Command, context: () => CommandContext): void {
  program
    .command("init")
    .description("create a workspace: runledger.json, .runledger/ (ledger + artifacts) and an example pipeline")
    .argument("[dir]", "directory to initialize", ".")
    .action(deferredAction(context, async () => (await import("../actions/init.js")).createWorkspace));
}
