import { resolve } from "node:path";
import type { Command } from "commander";
import { RunledgerError } from "../../core/errors.js";
import { ISO_TIME_FORM, parseIsoTime } from "../../core/iso-time.js";
import { Projector } from "../../ledger/projections/projector.js";
import { loadPipelineSource } from "../../pipelines/load-pipeline-source.js";
import { workRootOf, type Workspace } from "../../workspace/workspace.js";
import { resumeRun, startRun } from "../../usecases/index.js";
import { findRun } from "../../views/find-run.js";
import { runJson } from "../../views/run.js";
import type { CommandContext } from "../command-context.js";
import { askNext } from "../ask-next.js";
import { runText } from "../run-text.js";
import { engineUseCaseDeps } from "../workspace-deps.js";
import type { CommandResult } from "../../views/command-result.js";
import type { Enforcement, RunMode } from "../../contracts/run-mode.js";

interface RunFlags {
  readonly concurrency?: string;
  readonly asOf?: string;
  readonly project?: string;
  readonly param: string[];
  readonly cache: boolean;
  readonly mode?: string;
  readonly title?: string;
  readonly next?: string;
  readonly runMode?: string;
  readonly enforcement?: string;
}

export function registerRun(program: Command, context: () => CommandContext): void {
  program
    .command("run")
    .description("run a pipeline file; exit 0 when the result is PASS or WARN, 1 when it is FAIL")
    .argument("<file>", "a pipeline file: YAML, or an ES module (.js, .mjs) exporting definePipeline(…) as default")
    .option("--concurrency <n>", "run at most n attempts at once (default: the number of cores)")
    .option("--as-of <time>", `the run's event time, ISO-8601: ${ISO_TIME_FORM} (default: now, recorded once)`)
    .option("--project <name>", "the project (default: the workspace's)")
    .option("--param <k=v>", "a run parameter; overrides a declared env value of the same name (repeatable)", (v: string, all: string[]) => [...all, v], [])
    .option("--no-cache", "run every task even when a passed attempt with the same cache key exists")
    .option("--mode <name>", "the run's work mode (default: classified from --title, else the pipeline's mode)")
    .option("--title <text>", "what this run is for; classifies the work mode by seed 000's keyword table")
    .option("--next <line>", "the next pointer: one line saying what to do next")
    .option("--run-mode <mock|real>", "mock uses mock providers and reads no secrets (default: the pipeline's runMode, else real)")
    .option(
      "--enforcement <shadow|enforced>",
      "shadow routes every effect call to a recorded sink; enforced performs them (default: the pipeline's enforcement, else enforced)",
    )
    .action(async (file: string, flags: RunFlags) => {
      const ctx = context();
      const options = parseFlags(flags);
      const pipeline = await loadPipelineSource(resolve(ctx.io.cwd, file));
      await ctx.withWorkspace(async (workspace) => {
        const project = flags.project ?? workspace.config.project;
        ctx.output.log("run.start", { pipeline: pipeline.name, project });
        const closing = {
          ...(flags.mode === undefined ? {} : { mode: flags.mode }),
          ...(flags.title === undefined ? {} : { title: flags.title }),
          ...nextFlag(flags),
        };
        const ci = ctx.io.env["CI"] === "true";
        const runId = await startRun(engineUseCaseDeps(ctx, workspace), pipeline, { project, ...options, ...closing, ci });
        await reportRun(ctx, workspace, project, runId);
      });
    });
}

export function registerResume(program: Command, context: () => CommandContext): void {
  program
    .command("resume")
    .description("finish a run whose engine stopped, without re-running what passed")
    .argument("<run>", "a run id, or a unique prefix of one")
    .option("--concurrency <n>", "run at most n attempts at once (default: the number of cores)")
    .option("--next <line>", "the next pointer: one line saying what to do next")
    .action(async (id: string, flags: Pick<RunFlags, "concurrency" | "next">) => {
      const ctx = context();
      const { concurrency } = parseFlags({ ...flags, param: [], cache: true });
      await ctx.withWorkspace(async (workspace) => {
        const run = await resumeRun(
          engineUseCaseDeps(ctx, workspace),
          { run: id, ...nextFlag(flags), ...(concurrency === undefined ? {} : { concurrency }) },
          (view) => ctx.output.log("run.resume", { run_id: view.id }),
        );
        await reportRun(ctx, workspace, run.project, run.id);
      });
    });
}

/** The --next flag as one trimmed line; ERR_USAGE when it is empty or spans lines. */
export function nextFlag(flags: { readonly next?: string }): { next?: string } {
  if (flags.next === undefined) return {};
  const next = flags.next.trim();
  if (next === "" || next.includes("\n")) throw new RunledgerError("ERR_USAGE", { detail: "--next: expected one non-empty line" });
  return { next };
}

/**
 * Prints the run (asking a person at a terminal for the next pointer a finished run lacks; a
 * waiting run prints its manual tasks' steps); a FAIL result makes the exit code 1.
 */
export async function reportRun(ctx: CommandContext, workspace: Workspace, project: string, runId: string): Promise<void> {
  await askNext(ctx, workspace, runId);
  const state = await new Projector(workspace.ledger, { project }).catchUp();
  const view = runJson(state, findRun(state, runId), workRootOf(workspace));
  ctx.output.log("run.settle", { run_id: runId, status: view.status, result: view.result });
  ctx.output.success({ run: view } satisfies CommandResult<"run">, runText(view));
  if (view.result === "FAIL") ctx.exitCode = 1;
}

function parseFlags(flags: RunFlags): {
  concurrency?: number;
  asOf?: Date;
  params: Record<string, string>;
  noCache: boolean;
  runMode?: RunMode;
  enforcement?: Enforcement;
} {
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
  const asOf = flags.asOf === undefined ? undefined : parseIsoTime(flags.asOf, "--as-of");
  if (flags.runMode !== undefined && flags.runMode !== "mock" && flags.runMode !== "real") {
    throw new RunledgerError("ERR_USAGE", { detail: `--run-mode ${flags.runMode}: expected mock or real` });
  }
  if (flags.enforcement !== undefined && flags.enforcement !== "shadow" && flags.enforcement !== "enforced") {
    throw new RunledgerError("ERR_USAGE", { detail: `--enforcement ${flags.enforcement}: expected shadow or enforced` });
  }
  return {
    params,
    noCache: !flags.cache,
    ...(flags.runMode === undefined ? {} : { runMode: flags.runMode }),
    ...(flags.enforcement === undefined ? {} : { enforcement: flags.enforcement }),
    ...(concurrency === undefined ? {} : { concurrency }),
    ...(asOf === undefined ? {} : { asOf }),
  };
}
