import type { Command } from "commander";
import { RunledgerError } from "../../core/errors.js";
import { Projector } from "../../ledger/projections/projector.js";
import type { CommandContext } from "../command-context.js";
import { findRun, runJson, runText } from "../run-view.js";

export function registerNext(program: Command, context: () => CommandContext): void {
  program
    .command("next")
    .description("leave a run's next pointer: one line saying what to do next")
    .argument("<run>", "a run id, or a unique prefix of one")
    .argument("<line>", "what to do next")
    .action(async (id: string, line: string) => {
      const ctx = context();
      const next = line.trim();
      if (next === "" || next.includes("\n")) throw new RunledgerError("ERR_USAGE", { detail: "the next pointer is one non-empty line" });
      await ctx.withWorkspace(async (workspace) => {
        const run = findRun(await new Projector(workspace.ledger).catchUp(), id);
        await workspace.ledger.append([{ type: "next.recorded", project: run.project, actor: ctx.actor(), data: { next, run_id: run.id } }]);
        const state = await new Projector(workspace.ledger).catchUp();
        const view = runJson(state, findRun(state, run.id));
        ctx.output.success({ run: view }, runText(view));
      });
    });
}
