import { RunledgerError } from "../core/errors.js";
import type { PipelineDefinition } from "../pipelines/define-pipeline.js";
import type { EngineDeps } from "./attempt-context.js";
import type { ManualCompletion } from "./manual-attempt.js";
import { mapEvidence } from "./map-evidence.js";
import { resumeClaimed, withOpenRun, type OpenRun } from "./open-run.js";
import { resolveOperator } from "./resolve-operator.js";
import { waitingAttempt } from "./resume-state.js";
import type { ResumeOptions } from "./run-options.js";
import { VERDICTS, type Verdict } from "../contracts/verdict.js";

/** What `completeTask` records: the task, its evidence files, the stated result and a note. */
export interface TaskCompletion {
  readonly task: string;
  readonly files: readonly string[];
  readonly result: Verdict;
  readonly note?: string;
}

/**
 * Completes a waiting manual task of a run and continues the run as `resumeRun` does, so the
 * tasks that need it run and the run closes (or waits again for another manual task). The
 * evidence files are mapped to the task's declared outputs by file name before anything is
 * recorded (ERR_EVIDENCE_MISMATCH); a task that is not waiting is ERR_NOT_WAITING. The completion
 * is recorded with `deps.actor`; the task's checks run on the evidence as on any output.
 */
export async function completeTask(
  spec: PipelineDefinition,
  deps: EngineDeps,
  runId: string,
  completion: TaskCompletion,
  options: ResumeOptions,
): Promise<string> {
  if (!VERDICTS.includes(completion.result))
    throw new RunledgerError("ERR_USAGE", { detail: `result ${JSON.stringify(completion.result)}: expected PASS, WARN or FAIL` });
  return withOpenRun(
    { spec, deps, runId, options },
    async (opened) => resumeClaimed(opened, { ...options, completion: await manualCompletion(opened, completion, options) }),
    (view) => new RunledgerError("ERR_NOT_WAITING", { detail: `run ${runId} already finished (${view.status}); task ${completion.task} waits for nothing` }),
  );
}

/** The completion of the run's waiting task, its evidence mapped to the declared outputs; refused for a task that does not wait. */
async function manualCompletion(opened: OpenRun, completion: TaskCompletion, options: ResumeOptions): Promise<ManualCompletion> {
  const { def, view, past, runId } = opened;
  const task = def.tasks[completion.task];
  const state = view.tasks[completion.task];
  if (!task || !state)
    throw new RunledgerError("ERR_USAGE", { detail: `run ${runId} has no task ${completion.task}; its tasks: ${Object.keys(view.tasks).join(", ")}` });
  const operator = resolveOperator(task, options.registry);
  if (!waitingAttempt(past, runId, completion.task)) {
    const manual = operator.kind === "manual";
    throw new RunledgerError("ERR_NOT_WAITING", {
      detail: `task ${completion.task} of run ${runId} is ${state.outcome}${manual ? "" : ", and not a manual task"}; only a WAITING manual task can be completed`,
    });
  }
  const evidence = await mapEvidence(operator, completion.files);
  return { task: completion.task, evidence, result: completion.result, ...(completion.note === undefined ? {} : { note: completion.note }) };
}
