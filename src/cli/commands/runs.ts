import type { Command } from "commander";
import type { CommandContext } from "../command-context.js";
import { deferredAction } from "../deferred-action.js";

export function registerRuns(program: Command, context: () => CommandContext): void {
  program
    .command("runs")
    .description("list the runs of the workspace, newest last")
    .option("--missing-next", "only finished runs without a next pointer")
    .option("--not-counted", "only finished runs that do not count (evidence or next pointer missing)")
    .action(deferredAction(context, async () => (await import("../actions/runs.js")).listRuns));
}

export function registerShow(program: Command, context: () => CommandContext): void {
  program
    .command("show")
    .description("show one run: its tasks, outcomes, checks and attempts")
    .argument("<run>", "a run id, or a unique prefix of one")
    .action(deferredAction(context, async () => (await import("../actions/runs.js")).showRun));
}
