import { runPipeline } from "../engine/index.js";
import { adminEvent } from "../governance/admin-event.js";
import type { ProjectionState, RunView } from "../ledger/projections/projection-state.js";
import type { EngineUseCaseDeps } from "./engine-deps.js";
import { pruneToRetention } from "./prune-to-retention.js";
import { findRunView } from "../views/find-run.js";
import { pipelineOfRun } from "./run-pipeline-of.js";

export interface ReplayRunDeps extends EngineUseCaseDeps {
  /** Running under CI: real runs with effects or secrets are refused there. */
  readonly ci: boolean;
}

/** A replay: the run replayed, the new run, and the passed tasks whose outputs differ between them. */
export interface Replay {
  readonly original: RunView;
  readonly replayRunId: string;
  readonly differing: string[];
}

/**
 * Replays a run: records a replay_request admin event (a blank reason is ERR_REASON_REQUIRED), then
 * runs the same pipeline with the same parameters, event time and modes, with no cache, and
 * compares each passed task's outputs with the original's; then prunes to the retention in force.
 */
export async function replayRun(deps: ReplayRunDeps, input: { readonly run: string; readonly reason: string | undefined }): Promise<Replay> {
  const original = await findRunView(await deps.readModels(), input.run);
  const pipeline = await pipelineOfRun(original, "replay it from code");
  const request = { as_of: original.as_of, params: original.params, pipeline: original.pipeline, run_mode: original.run_mode, work_mode: original.work_mode };
  await deps.engine.ledger.append([
    adminEvent(original.project, deps.engine.actor, {
      action_type: "replay_request",
      reason: input.reason,
      targets: [{ kind: "run", id: original.id }],
      before: request,
      result: "applied",
    }),
  ]);
  const replayRunId = await runPipeline(pipeline, deps.engine, {
    project: original.project,
    asOf: new Date(original.as_of),
    params: original.params,
    mode: original.work_mode,
    runMode: original.run_mode,
    noCache: true,
    ci: deps.ci,
    modes: deps.modes,
    next: `compare replay with ${original.id}`,
  });
  const differing = differingOutputs(await (await deps.readModels()).stateFor({ runs: [original.id, replayRunId] }), original.id, replayRunId);
  await pruneToRetention(deps);
  return { original, replayRunId, differing };
}

/** The passed tasks of `original` whose outputs the replay did not reproduce, digest for digest. */
export function differingOutputs(state: ProjectionState, original: string, replay: string): string[] {
  const replayed = new Map(outputsOf(state, replay));
  return outputsOf(state, original)
    .filter(([task, digests]) => replayed.get(task) !== digests)
    .map(([task]) => task);
}

/** Each passed task of a run with the digests of its outputs, joined. */
function outputsOf(state: ProjectionState, runId: string): [string, string][] {
  const run = state.runs[runId];
  if (!run) return [];
  return Object.values(run.tasks).flatMap((task) => {
    const passed = task.attempts.map((a) => state.attempts[a]).find((a) => a?.result);
    return passed ? [[task.name, passed.outputs.map((o) => `${o.path}=${o.digest}`).join(",")] as [string, string]] : [];
  });
}
