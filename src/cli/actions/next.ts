import { Projector } from "../../ledger/projections/projector.js";
import { nextPointer, recordNext } from "../../usecases/index.js";
import { findRun } from "../../views/find-run.js";
import { runJson } from "../../views/run.js";
import type { CommandContext } from "../command-context.js";
import { runText } from "../run-text.js";
import { recordDeps } from "../workspace-deps.js";
import type { CommandResult } from "../../views/command-result.js";

/** `runledger next <run> "…"`: leaves a run's next pointer. */
export async function leaveNext(ctx: CommandContext, id: string, line: string): Promise<void> {
  const next = nextPointer(line);
  await ctx.withWorkspace(async (workspace) => {
    const runId = await recordNext(recordDeps(ctx, workspace), { run: id, next });
    const state = await new Projector(workspace.ledger).catchUp();
    const view = runJson(state, findRun(state, runId));
    ctx.output.success({ run: view } satisfies CommandResult<"next">, runText(view));
  });
}
