import { systemClock } from "../core/clock.js";
import { randomIds } from "../core/ids.js";
import { emptyProjectionState } from "../ledger/projections/projection-state.js";
import { readModelsOf } from "../ledger/read-models/read-models-of.js";
import { ModeRegistry } from "../modes/mode-registry.js";
import { selectMode } from "../modes/select-mode.js";
import type { PipelineDefinition, PipelineTask } from "../pipelines/define-pipeline.js";
import { pipelineDigest, planPipeline } from "../pipelines/plan.js";
import { assertValidPipeline } from "../pipelines/validate-pipeline.js";
import { admitRun, readAdmission } from "./admission.js";
import { runEvent, type EngineDeps } from "./attempt-context.js";
import { CacheIndex } from "./cache-index.js";
import { checkRunModes } from "./check-run-modes.js";
import { checkSecretsAndConfigs } from "./check-secrets-and-configs.js";
import { continueRun } from "./drive-run.js";
import { operatorRefs, resolveOperator } from "./resolve-operator.js";
import type { RunOptions } from "./run-options.js";
import { baseDirOf, runContext, runSession } from "./run-session.js";
import { runSandbox } from "./sandbox.js";

/**
 * Runs a pipeline to its end under seed 001's harness rules: topological order under a
 * concurrency limit; a task starts only when every task it needs passed (WARN only where it opts
 * in), otherwise it is SKIPPED as `upstream-not-passed` and never sees the bytes; a passed attempt
 * with the same cache key is reused; failed attempts retry with exponential backoff. Resolves to
 * the run id; the run's state is the ledger's.
 */
export async function runPipeline(spec: PipelineDefinition, deps: EngineDeps, options: RunOptions): Promise<string> {
  const modes = options.modes ?? new ModeRegistry();
  const { mode, selection } = selectMode({ mode: options.mode, title: options.title, pipelineMode: spec.mode }, modes);
  // The run's mode decides which operators are legal (ERR_MODE_ILLEGAL), whatever the file names.
  const def: PipelineDefinition = mode.name === spec.mode ? spec : { ...spec, mode: mode.name };
  assertValidPipeline(def, options.registry);
  const runMode = options.runMode ?? def.runMode ?? "real";
  const resolve = (task: PipelineTask) => resolveOperator(task, options.registry);
  checkRunModes(def, { runMode, ci: options.ci ?? false, modes, resolve });
  await checkSecretsAndConfigs(def, { runMode, secrets: deps.secrets, baseDir: baseDirOf(def), resolve });
  const plan = planPipeline(def);
  const runId = (deps.ids ?? randomIds).next();
  const asOf = options.asOf ?? (deps.clock ?? systemClock).now();
  const sandbox = runSandbox(def, deps);
  const run = runContext(def, {
    id: runId,
    project: options.project,
    asOf,
    workMode: mode,
    runMode,
    enforcement: options.enforcement ?? def.enforcement ?? "enforced",
    sandbox,
  });
  // What ran before is read by index (controls now, cached attempts as tasks are prepared): a start costs the same on a young and an old ledger.
  const models = await readModelsOf(deps.ledger);
  const admission = await readAdmission(models, run.project);
  for (const warning of admitRun(admission, run.project, def.name, operatorRefs(def, options.registry), "start")) deps.onWarning?.(warning);
  const past = emptyProjectionState();
  const isFile = run.pipelineDir !== undefined;
  const release = await deps.claimRun?.(runId);
  try {
    await deps.ledger.append([
      runEvent(deps, run, {
        type: "run.requested",
        data: {
          as_of: asOf.toISOString(),
          enforcement: run.enforcement,
          mode_selection: selection,
          params: { ...options.params },
          pipeline: def.name,
          pipeline_digest: pipelineDigest(def, options.registry),
          run_id: runId,
          run_mode: run.runMode,
          ...(isFile ? { source: def.source } : {}),
          tasks: [...plan.order],
          work_mode: def.mode,
        },
      }),
      runEvent(deps, run, { type: "run.started", data: { run_id: runId } }),
    ]);
    const reads = { past, cache: new CacheIndex(models, run, past), admission };
    return await continueRun(runSession(deps, run, def, reads, options), { order: plan.order, states: new Map(), prior: new Map() });
  } finally {
    await release?.();
  }
}
