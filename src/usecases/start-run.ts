import { runPipeline, type EngineDeps, type RunOptions } from "../engine/index.js";
import type { ModeRegistry } from "../modes/mode-registry.js";
import type { PipelineDefinition } from "../pipelines/index.js";

/** Runs a pipeline in the workspace's modes; resolves to the new run's id. */
export function startRun(deps: { readonly engine: EngineDeps; readonly modes: ModeRegistry }, pipeline: PipelineDefinition, options: Omit<RunOptions, "modes">): Promise<string> {
  return runPipeline(pipeline, deps.engine, { ...options, modes: deps.modes });
}
