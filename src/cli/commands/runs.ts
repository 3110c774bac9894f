import type { Command } from "commander";
import { Projector } from "../../ledger/projections/projector.js";
import { workRootOf } from "../../workspace/workspace.js";
import type { CommandContext } from "../command-context.js";
import { findRun } from "../../views/find-run.js";
import { runJson } from "../../views/run.js";
import { runsView } from "../../views/runs.js";
import { runText } from "../run-text.js";
import type { CommandResult } from "../../views/command-result.js";

export function registerRuns(program: Command, context: () => CommandContext): void {
  program
    .command("runs")
    .description("list the runs of the workspace, newest last")
    .option("--missing-next", "only finished runs without a next pointer")
    .option("--not-counted", "only finished runs that do not count (evidence or next pointer missing)")
    .action(async (flags: { missingNext?: boolean; notCounted?: boolean }) => {
      const ctx = context();
      await ctx.withWorkspace(async (workspace) => {
        const state = await new Projector(workspace.ledger).catchUp();
        const runs = runsView(state, flags);
        const text = runs.map(
          (r) =>
            `${r.id}  ${r.project}  ${r.pipeline}  ${r.work_mode}  ${r.status}  ${r.result ?? "-"}  ${r.counted ? "counted" : "not-counted"}  ${r.requested_at_utc}`,
        );
        ctx.output.success(
          { runs } satisfies CommandResult<"runs">,
          runs.length > 0 ? text : flags.missingNext || flags.notCounted ? "no such runs" : "no runs yet",
        );
      });
    });
}

export function registerShow(program: Command, context: () => CommandContext): void {
  program
    .command("show")
    .description("show one run: its tasks, outcomes, checks and attempts")
    .argument("<run>", "a run id, or a unique prefix of one")
    .action(async (id: string) => {
      const ctx = context();
      await ctx.withWorkspace(async (workspace) => {
        const state = await new Projector(workspace.ledger).catchUp();
        const view = runJson(state, findRun(state, id), workRootOf(workspace));
        ctx.output.success({ run: view } satisfies CommandResult<"show">, runText(view));
      });
    });
}
