import { runPipeline, type RunOptions } from "../engine/index.js";
import type { PipelineDefinition } from "../pipelines/index.js";
import type { EngineUseCaseDeps } from "./engine-deps.js";
import { pruneToRetention } from "./prune-to-retention.js";

/** Runs a pipeline in the workspace's modes, then prunes working directories to the retention in force; resolves to the new run's id. */
export async function startRun(deps: EngineUseCaseDeps, pipeline: PipelineDefinition, options: Omit<RunOptions, "modes">): Promise<string> {
  const runId = await runPipeline(pipeline, deps.engine, { ...options, modes: deps.modes });
  await pruneToRetention(deps);
  return runId;
}
