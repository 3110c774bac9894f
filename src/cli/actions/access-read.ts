import { accessView, readAccess } from "../../views/access.js";
import type { CommandContext } from "../command-context.js";
import type { CommandResult } from "../../views/command-result.js";

/** `runledger access list`: the grants in force. */
export async function listGrants(ctx: CommandContext): Promise<void> {
  await ctx.withWorkspace(async (workspace) => {
    const view = accessView(await readAccess(workspace.ledger));
    const text = view.enabled
      ? view.grants.map((g) => `${g.actor.kind}:${g.actor.id}  ${g.role}  ${g.granted_at_utc}`)
      : "access control is off (no grants yet)";
    ctx.output.success({ access: view } satisfies CommandResult<"access list">, text);
  });
}
