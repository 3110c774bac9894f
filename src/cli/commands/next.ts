import type { Command } from "commander";
import { Projector } from "../../ledger/projections/projector.js";
import { nextPointer, recordNext } from "../../usecases/index.js";
import { findRun } from "../../views/find-run.js";
import { runJson } from "../../views/run.js";
import type { CommandContext } from "../command-context.js";
import { runText } from "../run-text.js";
import { recordDeps } from "../workspace-deps.js";
import type { CommandResult } from "../../views/command-result.js";

export function registerNext(program: Command, context: () => CommandContext): void {
  program
    .command("next")
    .description("leave a run's next pointer: one line saying what to do next")
    .argument("<run>", "a run id, or a unique prefix of one")
    .argument("<line>", "what to do next")
    .action(async (id: string, line: string) => {
      const ctx = context();
      const next = nextPointer(line);
      await ctx.withWorkspace(async (workspace) => {
        const runId = await recordNext(recordDeps(ctx, workspace), { run: id, next });
        const state = await new Projector(workspace.ledger).catchUp();
        const view = runJson(state, findRun(state, runId));
        ctx.output.success({ run: view } satisfies CommandResult<"next">, runText(view));
      });
    });
}
