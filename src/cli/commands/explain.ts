import type { Command } from "commander";
import { Projector } from "../../ledger/projections/projector.js";
import { explanationView } from "../../views/explanation.js";
import { findRun } from "../../views/find-run.js";
import type { CommandResult } from "../../views/command-result.js";
import type { CommandContext } from "../command-context.js";
import { explainText } from "../explain-text.js";

export function registerExplain(program: Command, context: () => CommandContext): void {
  program
    .command("explain")
    .description("say why a task ran or was reused: the receipt fields that changed since its last passed attempt")
    .argument("<run>", "a run id, or a unique prefix of one")
    .argument("<task>", "a task of that run")
    .action(async (runId: string, taskName: string) => {
      const ctx = context();
      await ctx.withWorkspace(async (workspace) => {
        const state = await new Projector(workspace.ledger).catchUp();
        const run = findRun(state, runId);
        const explanation = await explanationView(state, workspace.artifacts, run, taskName);
        ctx.output.success({ explain: explanation } satisfies CommandResult<"explain">, explainText(explanation, run.pipeline));
      });
    });
}
