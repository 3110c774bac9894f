import type { Command } from "commander";
import type { CommandContext } from "../command-context.js";
import { deferredAction } from "../deferred-action.js";

export function registerExplain(program: Command, context: () => CommandContext): void {
  program
    .command("explain")
    .description("say why a task ran or was reused: the receipt fields that changed since its last passed attempt")
    .argument("<run>", "a run id, or a unique prefix of one")
    .argument("<task>", "a task of that run")
    .action(deferredAction(context, async () => (await import("../actions/explain.js")).explainTask));
}
