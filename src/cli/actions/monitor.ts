import { BUILT_IN_MONITORS } from "../../governance/monitors.js";
import { configuredMonitors, runMonitors } from "../../usecases/index.js";
import type { CommandContext } from "../command-context.js";
import { recordDeps } from "../workspace-deps.js";
import { syncRules } from "./sync-rules.js";
import type { CommandResult } from "../../views/command-result.js";

/** `runledger monitor run`: every monitor; each new suggestion is recorded once. */
export async function runMonitorsCommand(ctx: CommandContext): Promise<void> {
  await ctx.withWorkspace(async (workspace) => {
    const monitors = [...BUILT_IN_MONITORS, ...(await configuredMonitors(workspace.root, workspace.config.monitors ?? []))];
    const { suggestions, recorded } = await runMonitors({ ...recordDeps(ctx, workspace), monitors, syncRules: syncRules(workspace) });
    const text = suggestions.map((s) => `[SUGGESTION] ${s.level} ${s.monitor}: ${s.message}`);
    ctx.output.success({ suggestions, recorded } satisfies CommandResult<"monitor run">, text.length > 0 ? text : "no suggestions");
  });
}
