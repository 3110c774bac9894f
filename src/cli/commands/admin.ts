import type { Command } from "commander";
import { RunledgerError } from "../../core/errors.js";
import { runPipeline } from "../../engine/run-pipeline.js";
import { controlsFrom, scopeOf } from "../../governance/controls.js";
import { pruneWorkDirs, retentionFrom } from "../../governance/retention.js";
import { workRootOf } from "../../workspace/workspace.js";
import { adminEvent } from "../../governance/admin-event.js";
import { Projector } from "../../ledger/projections/projector.js";
import { loadPipelineSource } from "../../pipelines/load-pipeline-source.js";
import type { CommandContext } from "../command-context.js";
import { findRun } from "../run-view.js";
import { cliEngineDeps, reportRun } from "./run.js";

interface ScopeFlags {
  readonly pipeline?: string;
  readonly reason?: string;
}

/** `runledger admin pause|resume|drain|replay`: audited operator actions over a project, a pipeline or a run. */
export function registerAdmin(program: Command, context: () => CommandContext): void {
  const admin = program.command("admin").description("audited operator actions: pause, resume, drain, replay, retention");
  const scoped = (name: "pause" | "resume" | "drain", description: string) =>
    admin
      .command(name)
      .description(description)
      .option("--pipeline <name>", "only this pipeline (default: the whole project)")
      .option("--reason <text>", "why (required, audited)")
      .action(async (flags: ScopeFlags) => {
        const ctx = context();
        await ctx.withWorkspace(async (workspace) => {
          const target = flags.pipeline === undefined ? { kind: "project", id: workspace.config.project } : { kind: "pipeline", id: flags.pipeline };
          const scope = scopeOf(target);
          const before = controlsFrom((await new Projector(workspace.ledger).catchUp()).adminEvents).find((c) => c.scope === scope);
          if (name === "resume" && !before) throw new RunledgerError("ERR_USAGE", { detail: `${scope} is neither paused nor draining` });
          if (name !== "resume" && before?.state === (name === "pause" ? "paused" : "draining")) throw new RunledgerError("ERR_USAGE", { detail: `${scope} is already ${before.state}` });
          const after = { state: name === "resume" ? "open" : name === "pause" ? "paused" : "draining" };
          await workspace.ledger.append([adminEvent(workspace.config.project, ctx.actor(), { action_type: name, reason: flags.reason, targets: [target], before: { state: before?.state ?? "open" }, after, result: "applied" })]);
          const hint = name === "pause" ? "; running runs stop starting tasks, `runledger resume <run>` continues them after `admin resume`" : name === "drain" ? "; running runs finish, no new run starts" : "";
          ctx.output.success({ control: { scope, ...after } }, [`${scope} is ${after.state}${hint}`]);
        });
      });
  scoped("pause", "stop starting tasks in the project (or one pipeline): running runs pause at their next task, new runs are refused");
  scoped("drain", "let running runs finish, start no new run in the project (or one pipeline)");
  scoped("resume", "lift a pause or drain");
  admin
    .command("retention")
    .description("change what the workspace keeps: the working directories of failed attempts of the newest N finished runs; the ledger and artifacts are never pruned")
    .requiredOption("--keep-work-runs <n>", "keep the working directories of the newest n finished runs (a whole number), or 'all'")
    .option("--reason <text>", "why (required, audited)")
    .action(async (flags: { keepWorkRuns: string; reason?: string }) => {
      const ctx = context();
      const keep = flags.keepWorkRuns === "all" ? null : Number(flags.keepWorkRuns);
      if (keep !== null && (!Number.isInteger(keep) || keep < 0)) throw new RunledgerError("ERR_USAGE", { detail: `--keep-work-runs ${flags.keepWorkRuns}: expected a whole number >= 0, or all` });
      await ctx.withWorkspace(async (workspace) => {
        const state = await new Projector(workspace.ledger).catchUp();
        const before = retentionFrom(state.adminEvents);
        const after = { keep_work_runs: keep };
        await workspace.ledger.append([adminEvent(workspace.config.project, ctx.actor(), { action_type: "change_retention", reason: flags.reason, targets: [{ kind: "workspace", id: workspace.config.name }], before, after, result: "applied" })]);
        const pruned = await pruneWorkDirs(workRootOf(workspace), state, after);
        ctx.output.success({ retention: after, pruned_runs: pruned }, `keeping the working directories of ${keep === null ? "every" : `the newest ${keep}`} finished run(s); pruned ${pruned.length}`);
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
        const before = await new Projector(workspace.ledger).catchUp();
        const original = findRun(before, id);
        if (original.source === null) throw new RunledgerError("ERR_USAGE", { detail: `run ${original.id} was not started from a pipeline file; replay it from code` });
        const pipeline = await loadPipelineSource(original.source);
        const request = { as_of: original.as_of, params: original.params, pipeline: original.pipeline, run_mode: original.run_mode, work_mode: original.work_mode };
        await workspace.ledger.append([adminEvent(original.project, ctx.actor(), { action_type: "replay_request", reason: flags.reason, targets: [{ kind: "run", id: original.id }], before: request, result: "applied" })]);
        const runId = await runPipeline(pipeline, cliEngineDeps(ctx, workspace), { project: original.project, asOf: new Date(original.as_of), params: original.params, mode: original.work_mode, runMode: original.run_mode, noCache: true, ci: ctx.io.env["CI"] === "true", modes: workspace.modes, next: `compare replay with ${original.id}` });
        const after = await new Projector(workspace.ledger).catchUp();
        const differing = outputsOf(after, original.id).filter(([task, digest]) => outputsOf(after, runId).find(([t]) => t === task)?.[1] !== digest).map(([task]) => task);
        ctx.output.log("replay.compared", { original: original.id, replay: runId, identical: differing.length === 0, differing });
        await reportRun(ctx, workspace, original.project, runId);
        ctx.output.say([`replay of ${original.id}: outputs ${differing.length === 0 ? "identical" : `differ in ${differing.join(", ")}`}`], "stderr");
      });
    });
}

/** Each passed task of a run with the digests of its outputs, joined, for comparing a replay. */
function outputsOf(state: Awaited<ReturnType<Projector["catchUp"]>>, runId: string): [string, string][] {
  const run = state.runs[runId];
  if (!run) return [];
  return Object.values(run.tasks).flatMap((task) => {
    const passed = task.attempts.map((a) => state.attempts[a]).find((a) => a?.result);
    return passed ? [[task.name, passed.outputs.map((o) => `${o.path}=${o.digest}`).join(",")] as [string, string]] : [];
  });
}
