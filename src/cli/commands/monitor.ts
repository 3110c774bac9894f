import type { Command } from "commander";
import { BUILT_IN_MONITORS } from "../../governance/monitors.js";
import { configuredMonitors, runMonitors } from "../../usecases/index.js";
import type { CommandContext } from "../command-context.js";
import { recordDeps } from "../workspace-deps.js";
import { syncRules } from "./watermark.js";
import type { CommandResult } from "../../views/command-result.js";

/** `runledger monitor run`: the read-only monitors; their only output is [SUGGESTION] entries, recorded once each. */
export function registerMonitor(program: Command, context: () => CommandContext): void {
  const monitor = program.command("monitor").description("read-only monitors that may only suggest (seed 001 §5)");
  monitor
    .command("run")
    .description("run every monitor; new suggestions are recorded once, so running it 100 times leaves the state of running it once")
    .action(async () => {
      const ctx = context();
      await ctx.withWorkspace(async (workspace) => {
        const monitors = [...BUILT_IN_MONITORS, ...(await configuredMonitors(workspace.root, workspace.config.monitors ?? []))];
        const { suggestions, recorded } = await runMonitors({ ...recordDeps(ctx, workspace), monitors, syncRules: syncRules(workspace) });
        const text = suggestions.map((s) => `[SUGGESTION] ${s.level} ${s.monitor}: ${s.message}`);
        ctx.output.success({ suggestions, recorded } satisfies CommandResult<"monitor run">, text.length > 0 ? text : "no suggestions");
      });
    });
}
