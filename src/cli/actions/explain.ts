import { readModelsOf } from "../../ledger/read-models/read-models-of.js";
import { explanationView } from "../../views/explanation.js";
import { findRunView } from "../../views/find-run.js";
import type { CommandResult } from "../../views/command-result.js";
import type { CommandContext } from "../command-context.js";
import { explainText } from "../explain-text.js";

/** `runledger explain <run> <task>`: why a task ran or was reused. */
export async function explainTask(ctx: CommandContext, runId: string, taskName: string): Promise<void> {
  await ctx.withWorkspace(async (workspace) => {
    const models = await readModelsOf(workspace.ledger);
    const run = await findRunView(models, runId);
    const explanation = await explanationView(models, workspace.artifacts, run, taskName);
    ctx.output.success({ explain: explanation } satisfies CommandResult<"explain">, explainText(explanation, run.pipeline));
  });
}
