import { workspaceSecretStore } from "../../secrets/secret-store.js";
import { secretsView } from "../../views/secrets.js";
import type { CommandContext } from "../command-context.js";
import type { CommandResult } from "../../views/command-result.js";

/** `runledger secret list`: the stored secrets' names, versions, when and by whom; never values. */
export async function listSecrets(ctx: CommandContext): Promise<void> {
  await ctx.withWorkspace(async (workspace) => {
    const secrets = await secretsView(workspaceSecretStore(workspace.root));
    const text = secrets.map((s) => `${s.name}  v${s.version}  ${s.set_at_utc}  ${s.set_by.kind}:${s.set_by.id}`).join("\n");
    ctx.output.success({ secrets } satisfies CommandResult<"secret list">, secrets.length > 0 ? text : "no secrets");
  });
}
