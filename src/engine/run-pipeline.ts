import { systemClock } from "../core/clock.js";
import { randomIds } from "../core/ids.js";
import { Projector } from "../ledger/projections/projector.js";
import { ModeRegistry } from "../modes/mode-registry.js";
import { selectMode } from "../modes/select-mode.js";
import type { PipelineDefinition, PipelineTask } from "../pipelines/define-pipeline.js";
import { pipelineDigest, planPipeline } from "../pipelines/plan.js";
import { assertValidPipeline } from "../pipelines/validate-pipeline.js";
import { admitRun } from "./admission.js";
import { runEvent, type EngineDeps } from "./attempt-context.js";
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
  const past = await new Projector(deps.ledger, { project: run.project }).catchUp();
  for (const warning of admitRun(past, run.project, def.name, operatorRefs(def, options.registry), "start")) deps.onWarning?.(warning);
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
    return await continueRun(runSession(deps, run, def, past, options), { order: plan.order, states: new Map(), prior: new Map() });
  } finally {
    await release?.();
  }
}
