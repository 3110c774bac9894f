import type { Command } from "commander";
import { Projector } from "../../ledger/projections/projector.js";
import type { CommandContext } from "../command-context.js";
import { findRun, runJson, runText } from "../run-view.js";

export function registerRuns(program: Command, context: () => CommandContext): void {
  program
    .command("runs")
    .description("list the runs of the workspace, newest last")
    .action(async () => {
      const ctx = context();
      const workspace = await ctx.openWorkspace();
      try {
        const state = await new Projector(workspace.ledger).catchUp();
        const runs = Object.values(state.runs).map((run) => ({
          id: run.id,
          pipeline: run.pipeline,
          project: run.project,
          status: run.status,
          result: run.result,
          as_of: run.as_of,
          requested_at_utc: run.requested_at_utc,
        }));
        const text = runs.map((r) => `${r.id}  ${r.project}  ${r.pipeline}  ${r.status}  ${r.result ?? "-"}  ${r.requested_at_utc}`).join("\n");
        ctx.output.success({ runs }, runs.length > 0 ? text : "no runs yet");
      } finally {
        await workspace.close();
      }
    });
}

export function registerShow(program: Command, context: () => CommandContext): void {
  program
    .command("show")
    .description("show one run: its tasks, outcomes, checks and attempts")
    .argument("<run>", "a run id, or a unique prefix of one")
    .action(async (id: string) => {
      const ctx = context();
      const workspace = await ctx.openWorkspace();
      try {
        const state = await new Projector(workspace.ledger).catchUp();
        const view = runJson(state, findRun(state, id));
        ctx.output.success({ run: view }, runText(view));
      } finally {
        await workspace.close();
      }
    });
}
