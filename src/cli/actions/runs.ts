import { Projector } from "../../ledger/projections/projector.js";
import { workRootOf } from "../../workspace/workspace.js";
import type { CommandContext } from "../command-context.js";
import { findRun } from "../../views/find-run.js";
import { runJson } from "../../views/run.js";
import { runsView } from "../../views/runs.js";
import { runText } from "../run-text.js";
import type { CommandResult } from "../../views/command-result.js";

/** `runledger runs`: the workspace's runs, newest last. */
export async function listRuns(ctx: CommandContext, flags: { missingNext?: boolean; notCounted?: boolean }): Promise<void> {
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
}

/** `runledger show <run>`: one run, its tasks, outcomes, checks and attempts. */
export async function showRun(ctx: CommandContext, id: string): Promise<void> {
  await ctx.withWorkspace(async (workspace) => {
    const state = await new Projector(workspace.ledger).catchUp();
    const view = runJson(state, findRun(state, id), workRootOf(workspace));
    ctx.output.success({ run: view } satisfies CommandResult<"show">, runText(view));
  });
}
