import { Projector } from "../../ledger/projections/projector.js";
import { auditView } from "../../views/audit.js";
import type { CommandContext } from "../command-context.js";
import type { CommandResult } from "../../views/command-result.js";

/** `runledger audit`: the admin events, oldest first. */
export async function listAdminEvents(ctx: CommandContext, flags: { action?: string; actor?: string }): Promise<void> {
  await ctx.withWorkspace(async (workspace) => {
    const events = auditView(await new Projector(workspace.ledger).catchUp(), { action: flags.action, actor: flags.actor });
    const text = events.map(
      (e) =>
        `${e.observed_at_utc}  ${e.actor.kind}:${e.actor.id}  ${e.action_type}  ${e.result}  ${e.targets.map((t) => `${t.kind}:${t.id}`).join(",")}  "${e.reason}"`,
    );
    ctx.output.success({ admin_events: events } satisfies CommandResult<"audit">, text.length > 0 ? text : "no admin events");
  });
}
