import { rebuildReadModels } from "../../usecases/rebuild-read-models.js";
import type { CommandResult } from "../../views/command-result.js";
import type { CommandContext } from "../command-context.js";
import { readModelProgress } from "../read-model-progress.js";

/** `runledger admin rebuild-read-models --reason "…"`: the read models derived again from every event, audited. */
export async function rebuildReadModelsCommand(ctx: CommandContext, flags: { reason?: string }): Promise<void> {
  await ctx.withWorkspace(async (workspace) => {
    const deps = {
      ledger: workspace.ledger,
      actor: ctx.actor(),
      project: workspace.config.project,
      workspaceName: workspace.config.name,
      now: () => performance.now(),
    };
    const rebuilt = await rebuildReadModels(deps, { reason: flags.reason, onProgress: readModelProgress(ctx.io, ctx.output.json) });
    ctx.output.log("read_models.rebuilt", rebuilt);
    const seconds = (rebuilt.duration_ms / 1000).toFixed(2);
    ctx.output.success(
      { read_models: rebuilt } satisfies CommandResult<"admin rebuild-read-models">,
      `read models rebuilt: ${rebuilt.events.toLocaleString("en-US")} events derived in ${seconds} s (version ${rebuilt.before.version ?? "none"} at event ${rebuilt.before.seq} → version ${rebuilt.after.version ?? "none"} at event ${rebuilt.after.seq})`,
    );
  });
}
