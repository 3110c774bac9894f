import { RunledgerError } from "../../core/errors.js";
import { completeTask } from "../../usecases/index.js";
import type { CommandContext } from "../command-context.js";
import { readableFiles } from "../input-files.js";
import { engineUseCaseDeps } from "../workspace-deps.js";
import { nextFlag, reportRun } from "./run.js";
import { VERDICTS } from "../../contracts/verdict.js";

interface CompleteFlags {
  readonly evidence?: string[];
  readonly result?: string;
  readonly note?: string;
  readonly next?: string;
  readonly concurrency?: string;
}

const RESULTS = VERDICTS;

/**
 * `runledger complete <run> <task> --evidence <file>… --result PASS|WARN|FAIL`: records the outcome
 * of a waiting manual task with the acting actor, its evidence as the task's declared outputs, runs
 * its checks on them, and continues the run as `resume` does.
 */
export async function completeCommand(ctx: CommandContext, id: string, task: string, flags: CompleteFlags): Promise<void> {
  const result = (flags.result ?? "").toUpperCase();
  if (!RESULTS.includes(result as (typeof RESULTS)[number]))
    throw new RunledgerError("ERR_USAGE", {
      detail: `--result ${flags.result === undefined ? "is required" : JSON.stringify(flags.result)}: expected PASS, WARN or FAIL`,
    });
  if (flags.evidence === undefined || flags.evidence.length === 0)
    throw new RunledgerError("ERR_USAGE", { detail: "--evidence <file>…: give the evidence files, one per declared output" });
  const concurrency = flags.concurrency === undefined ? undefined : Number(flags.concurrency);
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1))
    throw new RunledgerError("ERR_USAGE", { detail: `--concurrency ${flags.concurrency}: expected a whole number >= 1` });
  const note = flags.note?.trim();
  const files = readableFiles("--evidence", flags.evidence, ctx.io.cwd);
  await ctx.withWorkspace(async (workspace) => {
    const input = {
      run: id,
      task,
      files,
      result: result as (typeof RESULTS)[number],
      ...(note ? { note } : {}),
      ...nextFlag(flags),
      ...(concurrency === undefined ? {} : { concurrency }),
    };
    const run = await completeTask(engineUseCaseDeps(ctx, workspace), input, (view) => ctx.output.log("run.complete", { run_id: view.id, task }));
    await reportRun(ctx, workspace, run.id);
  });
}
