import type { Command } from "commander";
import type { CommandContext } from "../command-context.js";
import { deferredAction } from "../deferred-action.js";

export function registerRuns(program: Command, context: () => CommandContext): void {
  program
    .command("runs")
    .description("list the runs of the workspace, newest last: the newest 50 that match, unless --limit says")
    .option("--missing-next", "only finished runs without a next pointer")
    .option("--not-counted", "only finished runs that do not count (evidence or next pointer missing)")
    .option("--pipeline <name>", "only runs of this pipeline")
    .option("--status <status>", "only runs in this status: requested, running, waiting, paused, succeeded, degraded, failed or halted")
    .option("--mode <mode>", "only runs in this work mode")
    .option("--since <time>", "only runs requested at or after this time (ISO-8601)")
    .option("--until <time>", "only runs requested before this time (ISO-8601)")
    .option("--before <run>", "only runs requested before this one (the next_before of the previous page)")
    .option("--limit <n>", "list at most n runs (default 50)")
    .action(deferredAction(context, async () => (await import("../actions/runs.js")).listRuns));
}

export function registerShow(program: Command, context: () => CommandContext): void {
  program
    .command("show")
    .description("show one run: its tasks, outcomes, checks and attempts")
    .argument("<run>", "a run id, or a unique prefix of one")
    .action(deferredAction(context, async () => (await import("../actions/runs.js")).showRun));
}
