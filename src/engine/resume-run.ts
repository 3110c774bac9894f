import type { PipelineDefinition } from "../pipelines/define-pipeline.js";
import type { EngineDeps } from "./attempt-context.js";
import { resumeClaimed, withOpenRun } from "./open-run.js";
import type { ResumeOptions } from "./run-options.js";

/**
 * Finishes a run whose engine stopped: attempts it left in flight are recorded `abandoned` and run
 * again; tasks that passed or were skipped keep their outcome; nothing that passed runs twice.
 * Refuses a finished run, and a pipeline whose definition changed since the run was requested.
 */
export async function resumeRun(spec: PipelineDefinition, deps: EngineDeps, runId: string, options: ResumeOptions): Promise<string> {
  return withOpenRun({ spec, deps, runId, options }, (opened) => resumeClaimed(opened, options));
}
