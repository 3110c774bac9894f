import type { Command } from "commander";
import type { CommandContext } from "../command-context.js";
import { deferredAction } from "../deferred-action.js";

export function registerClassifyAndModes(program: Command, context: () => CommandContext): void {
  program
    .command("modes")
    .description("list the work modes: intent, typical outputs, primary risk, keywords, evidence and stop rules")
    .action(deferredAction(context, async () => (await import("../actions/modes.js")).listModes));

  program
    .command("classify")
    .description("show which work mode a title selects by the keyword table, and why")
    .argument("<title>", "a run or session title")
    .action(deferredAction(context, async () => (await import("../actions/modes.js")).classifyCommand));
}
