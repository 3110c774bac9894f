import { resumeRun as resume } from "../engine/index.js";
import type { RunView } from "../ledger/projections/projection-state.js";
import { continueOptions, type EngineUseCaseDeps } from "./engine-deps.js";
import { pruneToRetention } from "./prune-to-retention.js";
import { findRunView } from "../views/find-run.js";
import { pipelineOfRun } from "./run-pipeline-of.js";

/** Finishes a run whose engine stopped, without re-running what passed, then prunes to the retention in force; resolves to the run. */
export async function resumeRun(
  deps: EngineUseCaseDeps,
  input: { readonly run: string; readonly next?: string; readonly concurrency?: number },
  onStart?: (run: RunView) => void,
): Promise<RunView> {
  const run = await findRunView(await deps.readModels(), input.run);
  const pipeline = await pipelineOfRun(run, "resume it from code with resumeRun()");
  onStart?.(run);
  await resume(pipeline, deps.engine, run.id, continueOptions(deps, run, input));
  await pruneToRetention(deps);
  return run;
}
