import { RunledgerError } from "../core/errors.js";
import type { RunView } from "../ledger/projections/projection-state.js";
import { loadPipelineSource } from "../pipelines/load-pipeline-source.js";
import type { PipelineDefinition } from "../pipelines/index.js";

/**
 * The definition a recorded run was started from, loaded again from its file; a run started from
 * code has none to load (ERR_USAGE, saying what to do instead: `instead`).
 */
export async function pipelineOfRun(run: RunView, instead: string): Promise<PipelineDefinition> {
  if (run.source === null) throw new RunledgerError("ERR_USAGE", { detail: `run ${run.id} was not started from a pipeline file; ${instead}` });
  return loadPipelineSource(run.source);
}
