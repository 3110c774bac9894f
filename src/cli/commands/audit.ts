import type { Command } from "commander";
import { Projector } from "../../ledger/projections/projector.js";
import { auditView } from "../../views/audit.js";
import type { CommandContext } from "../command-context.js";
import type { CommandResult } from "../../views/command-result.js";

export function registerAudit(program: Command, context: () => CommandContext): void {
  program
    .command("audit")
    .description("the admin events, oldest first: actor, action, reason, targets, before, after, result")
    .option("--action <type>", "only this action type, e.g. pause or gate_approve")
    .option("--actor <kind:id>", "only this actor's actions")
    .action(async (flags: { action?: string; actor?: string }) => {
      const ctx = context();
      await ctx.withWorkspace(async (workspace) => {
        const events = auditView(await new Projector(workspace.ledger).catchUp(), { action: flags.action, actor: flags.actor });
        const text = events.map(
          (e) =>
            `${e.observed_at_utc}  ${e.actor.kind}:${e.actor.id}  ${e.action_type}  ${e.result}  ${e.targets.map((t) => `${t.kind}:${t.id}`).join(",")}  "${e.reason}"`,
        );
        ctx.output.success({ admin_events: events } satisfies CommandResult<"audit">, text.length > 0 ? text : "no admin events");
      });
    });
}
