import { readConfigs } from "../configs/config-files.js";
import type { OperatorKind } from "../operators/operator-definition.js";
import { operatorCodeDigest } from "../operators/operator-code-digest.js";
import type { PipelineTask } from "../pipelines/define-pipeline.js";
import { cacheKey, envFingerprint, inputsHash, type InputRef } from "./cache-key.js";
import { gateTaskRunner } from "./gate-task-runner.js";
import { manualTaskRunner } from "./manual-task-runner.js";
import { resolveOperator } from "./resolve-operator.js";
import { retryingTaskRunner } from "./retrying-task-runner.js";
import type { RunSession } from "./run-session.js";
import type { PriorAttempts, TaskState } from "./task-state.js";
import type { PreparedTask, TaskOutcome, TaskRunner } from "./task-runner.js";

const RUNNERS: Readonly<Record<OperatorKind, TaskRunner>> = { function: retryingTaskRunner, command: retryingTaskRunner, manual: manualTaskRunner };

/**
 * One task whose needs passed: resolves what its attempts share (inputs, params, env, configs and
 * the cache key) and hands it to the runner of its operator's kind (a gate's, whatever its kind).
 * `releaseSlot` gives the task's concurrency slot back, for a task that runs no attempt.
 */
export async function runTask(
  session: RunSession,
  task: PipelineTask,
  states: ReadonlyMap<string, TaskState>,
  prior: PriorAttempts,
  releaseSlot: () => void,
): Promise<TaskOutcome> {
  const { run, options } = session;
  const operator = resolveOperator(task, session.registry);
  const inputs: InputRef[] = task.needs.flatMap((need) => {
    const s = states.get(need);
    return s?.passed ? s.outputs.map((o) => ({ task: need, path: o.path, digest: o.digest })) : [];
  });
  const params = operator.input.parse(task.params);
  const env: Record<string, string> = { ...operator.env };
  for (const key of Object.keys(env)) if (options.params?.[key] !== undefined) env[key] = options.params[key] as string;
  const hash = inputsHash(params, inputs);
  const fingerprint = envFingerprint(env);
  const codeDigest = operatorCodeDigest(operator);
  const configs = await readConfigs(operator.configs, run.pipelineDir ?? process.cwd());
  // A shadow attempt of an operator with effects never stands in for an enforced one (nor the other way round).
  const shadowed = run.enforcement === "shadow" && operator.effects.length > 0;
  const key = cacheKey({
    operatorRef: operator.ref,
    codeDigest,
    inputsHash: hash,
    configVersions: configs.map((c) => c.ref),
    envFingerprint: fingerprint,
    runMode: run.runMode,
    ...(shadowed && { enforcement: "shadow" as const }),
  });
  const prepared: PreparedTask = {
    task,
    operator,
    jobId: `${run.id}:${task.name}`,
    inputs,
    params,
    env,
    inputsHash: hash,
    envFingerprint: fingerprint,
    codeDigest,
    cacheKey: key,
    configs,
  };
  const runner = operator.gate ? gateTaskRunner : RUNNERS[operator.kind];
  return runner.run(session, prepared, prior, releaseSlot);
}
