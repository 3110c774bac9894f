import { RunledgerError } from "../core/errors.js";
import type { NewEvent } from "../ledger/ledger-event.js";
import type { ProjectionState, RunView } from "../ledger/projections/projection-state.js";
import { readModelsOf } from "../ledger/read-models/read-models-of.js";
import type { ReadModels } from "../ledger/read-models/read-models.js";
import { ModeRegistry } from "../modes/mode-registry.js";
import type { PipelineDefinition } from "../pipelines/define-pipeline.js";
import { pipelineDigest, planPipeline } from "../pipelines/plan.js";
import { assertValidPipeline } from "../pipelines/validate-pipeline.js";
import { killTaggedProcesses } from "../processes/kill-tagged-processes.mjs";
import { admitRun, readAdmission } from "./admission.js";
import { runEvent, type EngineDeps, type RunContext } from "./attempt-context.js";
import { CacheIndex } from "./cache-index.js";
import { checkSecretsAndConfigs } from "./check-secrets-and-configs.js";
import { continueRun } from "./drive-run.js";
import type { ManualCompletion } from "./manual-attempt.js";
import { operatorRefs, resolveOperator } from "./resolve-operator.js";
import { resumeState, type ResumeState } from "./resume-state.js";
import { attemptDir } from "./attempt-dir.js";
import { stopLeftoverGroup } from "./run-command.js";
import type { ResumeOptions } from "./run-options.js";
import { baseDirOf, runContext, runSession } from "./run-session.js";
import { runSandbox } from "./sandbox.js";

/** Which run a verb goes on with, by whom, from which definition. */
export interface OpenRunRequest {
  readonly spec: PipelineDefinition;
  readonly deps: EngineDeps;
  readonly runId: string;
  readonly options: ResumeOptions;
}

/** A run claimed and read, that may go on: its definition (in the run's mode), its view, its state, and the read models it was read from. */
export interface OpenRun {
  readonly def: PipelineDefinition;
  readonly deps: EngineDeps;
  readonly runId: string;
  readonly view: RunView;
  /** The run's own state: its tasks, attempts (with those they reused), gates, and the runs those attempts came from. */
  readonly past: ProjectionState;
  readonly models: ReadModels;
}

/** The refusal of a verb on a finished run. */
export function finishedRun(runId: string, view: RunView): RunledgerError {
  return new RunledgerError("ERR_USAGE", { detail: `run ${runId} already finished (${view.status}); start a new run instead` });
}

/**
 * Claims the run, reads it, and hands it to `work` when it may go on: not finished (else the
 * error `finished` makes), its pipeline unchanged, its secrets and configs there, and its sandbox
 * available. The claim is released when `work` is done.
 */
export async function withOpenRun(
  request: OpenRunRequest,
  work: (opened: OpenRun) => Promise<string>,
  finished: (view: RunView, past: ProjectionState) => RunledgerError = (view) => finishedRun(request.runId, view),
): Promise<string> {
  const { spec, deps, runId, options } = request;
  // Claim first, then read: what another engine did before the claim is in the state read below.
  const release = await deps.claimRun?.(runId);
  try {
    const models = await readModelsOf(deps.ledger);
    const past = await readRunState(models, runId, options.project);
    const view = past.runs[runId];
    if (!view) throw new RunledgerError("ERR_RUN_NOT_FOUND", { detail: `${runId} in project ${options.project}` });
    if (view.finished_at_utc !== null) throw finished(view, past);
    const def: PipelineDefinition = view.work_mode === spec.mode ? spec : { ...spec, mode: view.work_mode };
    assertValidPipeline(def, options.registry);
    if (view.pipeline_digest !== null && view.pipeline_digest !== pipelineDigest(def, options.registry)) {
      throw new RunledgerError("ERR_VALIDATION", { detail: `pipeline ${def.name} changed since run ${runId} was requested; start a new run instead` });
    }
    await checkSecretsAndConfigs(def, {
      runMode: view.run_mode,
      secrets: deps.secrets,
      baseDir: baseDirOf(def),
      resolve: (task) => resolveOperator(task, options.registry),
    });
    // Before a completion or a gate decision is recorded: a run that cannot go on records neither.
    runSandbox(def, deps);
    return await work({ def, deps, runId, view, past, models });
  } finally {
    await release?.();
  }
}

/**
 * Goes on with a claimed run from where its events left it (see resumeState): attempts left in
 * flight are recorded abandoned (their leftover processes killed) and run again, a paused run is
 * started again, and the run is driven on with the run's own settings.
 */
export async function resumeClaimed(opened: OpenRun, options: ResumeOptions & { readonly completion?: ManualCompletion }): Promise<string> {
  const { def, deps, runId, view, past, models } = opened;
  const run = runContext(def, {
    id: runId,
    project: view.project,
    asOf: new Date(view.as_of),
    workMode: (options.modes ?? new ModeRegistry()).get(view.work_mode),
    runMode: view.run_mode,
    enforcement: view.enforcement,
    sandbox: runSandbox(def, deps),
  });
  const admission = await readAdmission(models, run.project);
  for (const warning of admitRun(admission, run.project, def.name, operatorRefs(def, options.registry), "resume")) deps.onWarning?.(warning);
  const resumed = resumeState(past, runId, def, options.registry);
  const reopening = await abandonInFlight(deps, run, resumed);
  if (resumed.wasPaused) reopening.push(runEvent(deps, run, { type: "run.started", data: { run_id: runId } }));
  if (reopening.length > 0) await deps.ledger.append(reopening);
  const session = runSession(deps, run, def, { past, cache: new CacheIndex(models, run, past), admission }, { ...options, params: view.params });
  return continueRun(session, { order: planPipeline(def).order, states: resumed.states, prior: resumed.prior });
}

/**
 * The run's own state, as a resume reads it: the run (of `project`) with its attempts, gates and debug
 * packets, and the runs its reused attempts came from (whose `as_of` their outputs carry). Empty when
 * the run is not in the project.
 */
async function readRunState(models: ReadModels, runId: string, project: string): Promise<ProjectionState> {
  const state = await models.stateFor({ runs: [runId] });
  if (state.runs[runId]?.project !== project) return models.stateFor({});
  for (const attempt of Object.values(state.attempts)) {
    const source = attempt.correlation_ids.run_id;
    if (state.runs[source] !== undefined) continue;
    const run = await models.run(source);
    if (run) state.runs[source] = run;
  }
  return state;
}

/** Stops what the attempts left in flight still run, and returns their attempt.abandoned events. */
async function abandonInFlight(deps: EngineDeps, run: RunContext, resumed: ResumeState): Promise<NewEvent[]> {
  const abandoned: NewEvent[] = [];
  for (const { task, attempt } of resumed.inFlight) {
    const group = await stopLeftoverGroup(`${attemptDir(deps.workRoot, run.id, task, attempt.attempt_number)}.pid`, attempt.attempt_id);
    // Processes that left the group (setsid) still carry the attempt's id.
    const stopped = (await killTaggedProcesses(`RUNLEDGER_ATTEMPT_ID=${attempt.attempt_id}`)) > 0 || group;
    const reason = `the engine stopped during the attempt${stopped ? "; its leftover process group was killed" : ""}`;
    abandoned.push(runEvent(deps, run, { type: "attempt.abandoned", data: { attempt_id: attempt.attempt_id, reason } }));
  }
  return abandoned;
}
