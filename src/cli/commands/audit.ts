import type { Command } from "commander";
import type { CommandContext } from "../command-context.js";
import { deferredAction } from "../deferred-action.js";

export function registerAudit(program: Command, context: () => CommandContext): void {
  program
    .command("audit")
    .description("the admin events, oldest first: actor, action, reason, targets, before, after, result")
    .option("--action <type>", "only this action type, e.g. pause or gate_approve")
    .option("--actor <kind:id>", "only this actor's actions")
    .action(deferredAction(context, async () => (await import("../actions/audit.js")).listAdminEvents));
}
