import { readModelsOf } from "../../ledger/read-models/read-models-of.js";
import { auditView } from "../../views/audit.js";
import type { CommandContext } from "../command-context.js";
import type { CommandResult } from "../../views/command-result.js";

/** `runledger audit`: the admin events, oldest first. */
export async function listAdminEvents(ctx: CommandContext, flags: { action?: string; actor?: string }): Promise<void> {
  await ctx.withWorkspace(async (workspace) => {
    const models = await readModelsOf(workspace.ledger);
    // The action is the admin list's kind: only its entries are read.
    const events = auditView(await models.adminEvents(flags.action === undefined ? {} : { kinds: [flags.action] }), { actor: flags.actor });
    const text = events.map(
      (e) =>
        `${e.observed_at_utc}  ${e.actor.kind}:${e.actor.id}  ${e.action_type}  ${e.result}  ${e.targets.map((t) => `${t.kind}:${t.id}`).join(",")}  "${e.reason}"`,
    );
    ctx.output.success({ admin_events: events } satisfies CommandResult<"audit">, text.length > 0 ? text : "no admin events");
  });
}
