import { resolve } from "node:path";
import { RunledgerError } from "../../core/errors.js";
import { parseIsoTime } from "../../core/iso-time.js";
import { readModelsOf } from "../../ledger/read-models/read-models-of.js";
import { loadPipelineSource } from "../../pipelines/load-pipeline-source.js";
import { workRootOf, type Workspace } from "../../workspace/workspace.js";
import { resumeRun, startRun } from "../../usecases/index.js";
import { runJsonOf } from "../../views/run.js";
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

/** `runledger run <file>`: runs a pipeline file and reports the run. */
export async function runCommand(ctx: CommandContext, file: string, flags: RunFlags): Promise<void> {
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
    await reportRun(ctx, workspace, runId);
  });
}

/** `runledger resume <run>`: finishes a run whose engine stopped, without re-running what passed. */
export async function resumeCommand(ctx: CommandContext, id: string, flags: Pick<RunFlags, "concurrency" | "next">): Promise<void> {
  const { concurrency } = parseFlags({ ...flags, param: [], cache: true });
  await ctx.withWorkspace(async (workspace) => {
    const run = await resumeRun(
      engineUseCaseDeps(ctx, workspace),
      { run: id, ...nextFlag(flags), ...(concurrency === undefined ? {} : { concurrency }) },
      (view) => ctx.output.log("run.resume", { run_id: view.id }),
    );
    await reportRun(ctx, workspace, run.id);
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
export async function reportRun(ctx: CommandContext, workspace: Workspace, runId: string): Promise<void> {
  await askNext(ctx, workspace, runId);
  const view = await runJsonOf(await readModelsOf(workspace.ledger), runId, workRootOf(workspace));
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
