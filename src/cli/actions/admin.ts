import { changeControl, changeRetention, parseKeepWorkRuns, replayRun, type ControlAction } from "../../usecases/index.js";
import type { CommandContext } from "../command-context.js";
import { engineUseCaseDeps, recordDeps, retentionDeps } from "../workspace-deps.js";
import { reportRun } from "./run.js";
import type { CommandResult } from "../../views/command-result.js";

export interface ScopeFlags {
  readonly pipeline?: string;
  readonly reason?: string;
}

const CONTROL_HINTS: Record<ControlAction, string> = {
  pause: "; running runs stop starting tasks, `runledger resume <run>` continues them after `admin resume`",
  drain: "; running runs finish, no new run starts",
  resume: "",
};

/** `runledger admin pause|drain|resume`: the project's (or a pipeline's) control state, audited. */
export async function controlCommand(ctx: CommandContext, action: ControlAction, flags: ScopeFlags): Promise<void> {
  await ctx.withWorkspace(async (workspace) => {
    const control = await changeControl(recordDeps(ctx, workspace), { action, pipeline: flags.pipeline, reason: flags.reason });
    ctx.output.success({ control } satisfies CommandResult<"admin pause">, [`${control.scope} is ${control.state}${CONTROL_HINTS[action]}`]);
  });
}

/** `runledger admin retention --keep-work-runs N|all`: which failed attempts' working directories are kept. */
export async function retentionCommand(ctx: CommandContext, flags: { keepWorkRuns: string; reason?: string }): Promise<void> {
  parseKeepWorkRuns(flags.keepWorkRuns);
  await ctx.withWorkspace(async (workspace) => {
    const { retention, pruned } = await changeRetention(retentionDeps(ctx, workspace), { keepWorkRuns: flags.keepWorkRuns, reason: flags.reason });
    const keep = retention.keep_work_runs;
    ctx.output.success(
      { retention, pruned_runs: pruned } satisfies CommandResult<"admin retention">,
      `keeping the working directories of ${keep === null ? "every" : `the newest ${keep}`} finished run(s); pruned ${pruned.length}`,
    );
  });
}

/** `runledger admin replay <run>`: the same run again without the cache, its outputs compared. */
export async function replayCommand(ctx: CommandContext, id: string, flags: { reason?: string }): Promise<void> {
  await ctx.withWorkspace(async (workspace) => {
    const { original, replayRunId, differing } = await replayRun(
      { ...engineUseCaseDeps(ctx, workspace), ci: ctx.io.env["CI"] === "true" },
      { run: id, reason: flags.reason },
    );
    ctx.output.log("replay.compared", { original: original.id, replay: replayRunId, identical: differing.length === 0, differing });
    await reportRun(ctx, workspace, replayRunId);
    ctx.output.say([`replay of ${original.id}: outputs ${differing.length === 0 ? "identical" : `differ in ${differing.join(", ")}`}`], "stderr");
  });
}
