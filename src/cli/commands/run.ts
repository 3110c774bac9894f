import { join, resolve } from "node:path";
import type { Command } from "commander";
import { RunledgerError } from "../../core/errors.js";
import { runPipeline } from "../../engine/run-pipeline.js";
import { Projector } from "../../ledger/projections/projector.js";
import { loadPipelineFile } from "../../pipelines/load-yaml.js";
import { STATE_DIR } from "../../workspace/workspace-config.js";
import type { CommandContext } from "../command-context.js";
import { findRun, runJson, runText } from "../run-view.js";

interface RunFlags {
  readonly concurrency?: string;
  readonly asOf?: string;
  readonly project?: string;
  readonly param: string[];
  readonly cache: boolean;
}

export function registerRun(program: Command, context: () => CommandContext): void {
  program
    .command("run")
    .description("run a pipeline file; exit 0 when the result is PASS or WARN, 1 when it is FAIL")
    .argument("<file>", "a pipeline YAML file")
    .option("--concurrency <n>", "run at most n attempts at once (default: the number of cores)")
    .option("--as-of <time>", "the run's event time, ISO-8601 (default: now, recorded once)")
    .option("--project <name>", "the project (default: the workspace's)")
    .option("--param <k=v>", "a run parameter; overrides a declared env value of the same name (repeatable)", (v: string, all: string[]) => [...all, v], [])
    .option("--no-cache", "run every task even when a passed attempt with the same cache key exists")
    .action(async (file: string, flags: RunFlags) => {
      const ctx = context();
      const options = parseFlags(flags);
      const pipeline = await loadPipelineFile(resolve(ctx.io.cwd, file));
      const workspace = await ctx.openWorkspace();
      try {
        const project = flags.project ?? workspace.config.project;
        ctx.output.log("run.start", { pipeline: pipeline.name, project });
        const deps = { ledger: workspace.ledger, artifacts: workspace.artifacts, actor: ctx.actor(), workRoot: join(workspace.root, STATE_DIR, "work") };
        const runId = await runPipeline(pipeline, deps, { project, ...options });
        const state = await new Projector(workspace.ledger, { project }).catchUp();
        const view = runJson(state, findRun(state, runId));
        ctx.output.log("run.settle", { run_id: runId, status: view.status, result: view.result });
        ctx.output.success({ run: view }, runText(view));
        if (view.result === "FAIL") ctx.exitCode = 1;
      } finally {
        await workspace.close();
      }
    });
}

function parseFlags(flags: RunFlags): { concurrency?: number; asOf?: Date; params: Record<string, string>; noCache: boolean } {
  const params: Record<string, string> = {};
  for (const pair of flags.param) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new RunledgerError("ERR_USAGE", { detail: `--param ${JSON.stringify(pair)}: expected k=v` });
    params[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const concurrency = flags.concurrency === undefined ? undefined : Number(flags.concurrency);
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1)) {
    throw new RunledgerError("ERR_USAGE", { detail: `--concurrency ${flags.concurrency}: expected a whole number >= 1` });
  }
  const asOf = flags.asOf === undefined ? undefined : new Date(flags.asOf);
  if (asOf !== undefined && Number.isNaN(asOf.getTime())) throw new RunledgerError("ERR_USAGE", { detail: `--as-of ${flags.asOf}: expected an ISO-8601 time` });
  return { params, noCache: !flags.cache, ...(concurrency === undefined ? {} : { concurrency }), ...(asOf === undefined ? {} : { asOf }) };
}
