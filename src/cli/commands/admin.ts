import type { Command } from "commander";
import { changeControl, changeRetention, parseKeepWorkRuns, replayRun, type ControlAction } from "../../usecases/index.js";
import type { CommandContext } from "../command-context.js";
import { engineUseCaseDeps, recordDeps, retentionDeps } from "../workspace-deps.js";
import { reportRun } from "./run.js";
import type { CommandResult } from "../../views/command-result.js";

interface ScopeFlags {
  readonly pipeline?: string;
  readonly reason?: string;
}

const CONTROL_HINTS: Record<ControlAction, string> = {
  pause: "; running runs stop starting tasks, `runledger resume <run>` continues them after `admin resume`",
  drain: "; running runs finish, no new run starts",
  resume: "",
};

/** `runledger admin pause|resume|drain|replay|retention`: audited operator actions over a project, a pipeline or a run. */
export function registerAdmin(program: Command, context: () => CommandContext): void {
  const admin = program.command("admin").description("audited operator actions: pause, resume, drain, replay, retention");
  const scoped = (name: ControlAction, description: string) =>
    admin
      .command(name)
      .description(description)
      .option("--pipeline <name>", "only this pipeline (default: the whole project)")
      .option("--reason <text>", "why (required, audited)")
      .action(async (flags: ScopeFlags) => {
        const ctx = context();
        await ctx.withWorkspace(async (workspace) => {
          const control = await changeControl(recordDeps(ctx, workspace), { action: name, pipeline: flags.pipeline, reason: flags.reason });
          ctx.output.success({ control } satisfies CommandResult<"admin pause">, [`${control.scope} is ${control.state}${CONTROL_HINTS[name]}`]);
        });
      });
  scoped("pause", "stop starting tasks in the project (or one pipeline): running runs pause at their next task, new runs are refused");
  scoped("drain", "let running runs finish, start no new run in the project (or one pipeline)");
  scoped("resume", "lift a pause or drain");
  admin
    .command("retention")
    .description(
      "change what the workspace keeps: the working directories of failed attempts of the newest N finished runs; the ledger and artifacts are never pruned",
    )
    .requiredOption("--keep-work-runs <n>", "keep the working directories of the newest n finished runs (a whole number), or 'all'")
    .option("--reason <text>", "why (required, audited)")
    .action(async (flags: { keepWorkRuns: string; reason?: string }) => {
      const ctx = context();
      parseKeepWorkRuns(flags.keepWorkRuns);
      await ctx.withWorkspace(async (workspace) => {
        const { retention, pruned } = await changeRetention(retentionDeps(ctx, workspace), { keepWorkRuns: flags.keepWorkRuns, reason: flags.reason });
        const keep = retention.keep_work_runs;
        ctx.output.success(
          { retention, pruned_runs: pruned } satisfies CommandResult<"admin retention">,
          `keeping the working directories of ${keep === null ? "every" : `the newest ${keep}`} finished run(s); pruned ${pruned.length}`,
        );
      });
    });
  admin
    .command("replay")
    .description("replay a run: the same pipeline, parameters, event time and modes, with no cache; reports whether the outputs are identical")
    .argument("<run>", "a run id, or a unique prefix of one")
    .option("--reason <text>", "why (required, audited)")
    .action(async (id: string, flags: { reason?: string }) => {
      const ctx = context();
      await ctx.withWorkspace(async (workspace) => {
        const { original, replayRunId, differing } = await replayRun(
          { ...engineUseCaseDeps(ctx, workspace), ci: ctx.io.env["CI"] === "true" },
          { run: id, reason: flags.reason },
        );
        ctx.output.log("replay.compared", { original: original.id, replay: replayRunId, identical: differing.length === 0, differing });
        await reportRun(ctx, workspace, original.project, replayRunId);
        ctx.output.say([`replay of ${original.id}: outputs ${differing.length === 0 ? "identical" : `differ in ${differing.join(", ")}`}`], "stderr");
      });
    });
}
