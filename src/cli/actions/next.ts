import { readModelsOf } from "../../ledger/read-models/read-models-of.js";
import { nextPointer, recordNext } from "../../usecases/index.js";
import { runJsonOf } from "../../views/run.js";
import type { CommandContext } from "../command-context.js";
import { runText } from "../run-text.js";
import { recordDeps } from "../workspace-deps.js";
import type { CommandResult } from "../../views/command-result.js";

/** `runledger next <run> "…"`: leaves a run's next pointer. */
export async function leaveNext(ctx: CommandContext, id: string, line: string): Promise<void> {
  const next = nextPointer(line);
  await ctx.withWorkspace(async (workspace) => {
    const runId = await recordNext(recordDeps(ctx, workspace), { run: id, next });
    const view = await runJsonOf(await readModelsOf(workspace.ledger), runId);
    ctx.output.success({ run: view } satisfies CommandResult<"next">, runText(view));
  });
}
