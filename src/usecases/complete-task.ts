import { completeTask as complete } from "../engine/index.js";
import type { RunView } from "../ledger/projections/projection-state.js";
import { continueOptions, type EngineUseCaseDeps } from "./engine-deps.js";
import { pruneToRetention } from "./prune-to-retention.js";
import { findRunView } from "../views/find-run.js";
import { pipelineOfRun } from "./run-pipeline-of.js";
import type { Verdict } from "../contracts/verdict.js";

export interface CompleteTaskInput {
  readonly run: string;
  readonly task: string;
  /** The evidence files, checked readable, one per declared output. */
  readonly files: readonly string[];
  readonly result: Verdict;
  readonly note?: string;
  readonly next?: string;
  readonly concurrency?: number;
}

/** Records the outcome of a waiting manual task with its evidence, continues the run, then prunes to the retention in force; resolves to the run. */
export async function completeTask(deps: EngineUseCaseDeps, input: CompleteTaskInput, onStart?: (run: RunView) => void): Promise<RunView> {
  const run = await findRunView(await deps.readModels(), input.run);
  const pipeline = await pipelineOfRun(run, "complete it from code with completeTask()");
  onStart?.(run);
  const completion = { task: input.task, files: input.files, result: input.result, ...(input.note ? { note: input.note } : {}) };
  await complete(pipeline, deps.engine, run.id, completion, continueOptions(deps, run, input));
  await pruneToRetention(deps);
  return run;
}
