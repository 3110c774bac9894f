import { availableParallelism } from "node:os";
import { dirname } from "node:path";
import { systemClock } from "../core/clock.js";
import { RunledgerError, toRunledgerError } from "../core/errors.js";
import { randomIds } from "../core/ids.js";
import type { NewEvent } from "../ledger/ledger-event.js";
import { Projector } from "../ledger/projections/projector.js";
import type { AttemptView, ProjectionState, RunView } from "../ledger/projections/projection-state.js";
import { operatorCodeDigest } from "../operators/operator-code-digest.js";
import type { OperatorDefinition } from "../operators/operator-definition.js";
import type { OperatorRegistry } from "../operators/operator-registry.js";
import type { PipelineDefinition, PipelineTask } from "../pipelines/define-pipeline.js";
import { pipelineDigest, planPipeline } from "../pipelines/plan.js";
import { assertValidPipeline } from "../pipelines/validate-pipeline.js";
import { ModeRegistry } from "../modes/mode-registry.js";
import { selectMode } from "../modes/select-mode.js";
import type { WorkMode } from "../modes/work-mode.js";
import { runEvent, type AttemptOutcome, type EngineDeps, type RunContext } from "./attempt-context.js";
import { closeRun, type ClosingTask } from "./close-run.js";
import { checkRunModes } from "./check-run-modes.js";
import { cacheKey, envFingerprint, inputsHash, type InputRef } from "./cache-key.js";
import { attemptDir, runAttempt } from "./run-attempt.js";
import { killTaggedProcesses } from "./kill-tagged-processes.js";
import { stopLeftoverGroup } from "./run-command.js";

export interface RunOptions {
  readonly project: string;
  /** The run's event time; defaults to the moment the run is requested, recorded once. */
  readonly asOf?: Date;
  /** Run parameters; a key that a command operator declares under `env:` overrides that value. */
  readonly params?: Readonly<Record<string, string>>;
  /** Run every task even when a passed attempt with the same cache key exists. */
  readonly noCache?: boolean;
  /** At most this many attempts at once; defaults to the number of cores. */
  readonly concurrency?: number;
  readonly registry?: OperatorRegistry;
  /** The work modes known; default seed 000's six. */
  readonly modes?: ModeRegistry;
  /** The run's work mode; overrides the title's classification and the pipeline's `mode`. */
  readonly mode?: string;
  /** A title classified into the work mode by the keyword table when `mode` is not given. */
  readonly title?: string;
  /** The next pointer; wins over what operators return. */
  readonly next?: string;
  /** `mock` or `real`; default the pipeline's `runMode`, else `real`. Never inferred from the environment. */
  readonly runMode?: "mock" | "real";
  /** Whether the caller runs in CI (`CI=true`): a `real` run of a pipeline with effects or secrets is refused. */
  readonly ci?: boolean;
}

/** A settled task: passed with its outputs and the `as_of` of the run that made them, or not passed. */
type TaskState = { readonly passed: true; readonly result: "PASS" | "WARN"; readonly outputs: readonly StoredOutput[]; readonly asOf: number } | { readonly passed: false };

type StoredOutput = { readonly path: string; readonly digest: string; readonly size_bytes: number };

/**
 * Runs a pipeline to its end under seed 001's harness rules: topological order under a
 * concurrency limit; a task starts only when every task it needs passed (WARN only where it opts
 * in), otherwise it is SKIPPED as `upstream-not-passed` and never sees the bytes; a passed attempt
 * with the same cache key is reused; failed attempts retry with exponential backoff. Resolves to
 * the run id; the run's state is the ledger's.
 */
export async function runPipeline(spec: PipelineDefinition, deps: EngineDeps, options: RunOptions): Promise<string> {
  const { mode, selection } = selectMode({ mode: options.mode, title: options.title, pipelineMode: spec.mode }, options.modes ?? new ModeRegistry());
  // The run's mode decides which operators are legal (ERR_MODE_ILLEGAL), whatever the file names.
  const def: PipelineDefinition = mode.name === spec.mode ? spec : { ...spec, mode: mode.name };
  assertValidPipeline(def, options.registry);
  const runMode = options.runMode ?? def.runMode ?? "real";
  checkRunModes(def, { runMode, ci: options.ci ?? false, modes: options.modes ?? new ModeRegistry(), resolve: (task) => resolveOperator(task, options.registry) });
  const plan = planPipeline(def);
  const runId = (deps.ids ?? randomIds).next();
  const asOf = options.asOf ?? (deps.clock ?? systemClock).now();
  const run = runContext(def, runId, options.project, asOf, mode, runMode);
  const past = await new Projector(deps.ledger, { project: run.project }).catchUp();
  const isFile = run.pipelineDir !== undefined;
  const release = await deps.claimRun?.(runId);
  try {
    await deps.ledger.append([
      runEvent(deps, run, { type: "run.requested", data: { as_of: asOf.toISOString(), enforcement: run.enforcement, mode_selection: selection, params: { ...options.params }, pipeline: def.name, pipeline_digest: pipelineDigest(def, options.registry), run_id: runId, run_mode: run.runMode, ...(isFile ? { source: def.source } : {}), tasks: [...plan.order], work_mode: def.mode } }),
      runEvent(deps, run, { type: "run.started", data: { run_id: runId } }),
    ]);
    return await continueRun(def, plan.order, deps, run, past, options, new Map(), new Map());
  } finally {
    await release?.();
  }
}

/**
 * Finishes a run whose engine stopped: attempts it left in flight are recorded `abandoned` and run
 * again; tasks that passed or were skipped keep their outcome; nothing that passed runs twice.
 * Refuses a finished run, and a pipeline whose definition changed since the run was requested.
 */
export async function resumeRun(spec: PipelineDefinition, deps: EngineDeps, runId: string, options: Omit<RunOptions, "asOf" | "params" | "mode" | "title" | "runMode" | "ci">): Promise<string> {
  // Claim first, then read: what another engine did before the claim is in the state read below.
  const release = await deps.claimRun?.(runId);
  try {
    const past = await new Projector(deps.ledger, { project: options.project }).catchUp();
    const view = past.runs[runId];
    if (!view) throw new RunledgerError("ERR_RUN_NOT_FOUND", { detail: `${runId} in project ${options.project}` });
    if (view.finished_at_utc !== null) throw new RunledgerError("ERR_USAGE", { detail: `run ${runId} already finished (${view.status}); start a new run instead` });
    const def: PipelineDefinition = view.work_mode === spec.mode ? spec : { ...spec, mode: view.work_mode };
    assertValidPipeline(def, options.registry);
    if (view.pipeline_digest !== null && view.pipeline_digest !== pipelineDigest(def, options.registry)) {
      throw new RunledgerError("ERR_VALIDATION", { detail: `pipeline ${def.name} changed since run ${runId} was requested; start a new run instead` });
    }
    return await resumeClaimed(def, deps, runId, options, view, past);
  } finally {
    await release?.();
  }
}

async function resumeClaimed(def: PipelineDefinition, deps: EngineDeps, runId: string, options: Omit<RunOptions, "asOf" | "params">, view: RunView, past: ProjectionState): Promise<string> {
  const run = runContext(def, runId, view.project, new Date(view.as_of), (options.modes ?? new ModeRegistry()).get(view.work_mode), view.run_mode);
  const states = new Map<string, TaskState>();
  const prior = new Map<string, PriorAttempts>();
  const abandoned: NewEvent[] = [];
  for (const task of Object.values(view.tasks)) {
    const attempts = task.attempts.map((id) => past.attempts[id]).filter((a) => a !== undefined);
    for (const a of attempts.filter((a) => a.status === "running")) {
      const group = await stopLeftoverGroup(`${attemptDir(deps.workRoot, run.id, task.name, a.attempt_number)}.pid`, a.attempt_id);
      // Processes that left the group (setsid) still carry the attempt's id.
      const stopped = (await killTaggedProcesses(`RUNLEDGER_ATTEMPT_ID=${a.attempt_id}`)) > 0 || group;
      const reason = `the engine stopped during the attempt${stopped ? "; its leftover process group was killed" : ""}`;
      abandoned.push(runEvent(deps, run, { type: "attempt.abandoned", data: { attempt_id: a.attempt_id, reason } }));
    }
    const passed = attempts.find((a) => a.result !== null);
    const failed = attempts.filter((a) => a.status === "failed");
    const spec = def.tasks[task.name];
    const budget = spec ? 1 + (spec.retries ?? resolveOperator(spec, options.registry).retries) : 1;
    const last = attempts.filter((a) => a.status !== "running" && a.status !== "abandoned").at(-1);
    const exhausted = last?.status === "failed" && (!last.retryable || failed.length >= budget);
    if (passed?.result) states.set(task.name, { passed: true, result: passed.result, outputs: passed.outputs, asOf: madeAsOf(past, passed, run.asOf) });
    else if (task.outcome === "SKIPPED" || exhausted) states.set(task.name, { passed: false });
    prior.set(task.name, { numbered: attempts.length, failed: failed.length });
  }
  if (abandoned.length > 0) await deps.ledger.append(abandoned);
  return continueRun(def, planPipeline(def).order, deps, run, past, { ...options, params: view.params }, states, prior);
}

/** Attempts a task already made in this run: how many were numbered, and how many failed (the retry budget). */
interface PriorAttempts {
  readonly numbered: number;
  readonly failed: number;
}

function runContext(def: PipelineDefinition, id: string, project: string, asOf: Date, workMode: WorkMode, runMode: "mock" | "real"): RunContext {
  const isFile = def.source !== "typescript";
  return { id, project, asOf, workMode, runMode, enforcement: "enforced", pipelineDir: isFile ? dirname(def.source) : undefined };
}

async function continueRun(
  def: PipelineDefinition,
  /** The tasks in plan order, as run.requested recorded them. */
  order: readonly string[],
  deps: EngineDeps,
  run: RunContext,
  past: ProjectionState,
  options: Omit<RunOptions, "asOf">,
  states: Map<string, TaskState>,
  prior: ReadonlyMap<string, PriorAttempts>,
): Promise<string> {
  const nexts: string[] = [];
  const timedOut = new Set<string>();
  let skippedNow = 0;
  try {
    const pending = order.filter((name) => !states.has(name));
    await schedule(pending, def, new Set(states.keys()), options.concurrency ?? availableParallelism(), async (task) => {
      const blocked = task.needs.find((need) => {
        const state = states.get(need);
        return !state?.passed || (state.result === "WARN" && !task.allowWarn);
      });
      const reason = blocked !== undefined ? "upstream-not-passed" : staleInput(task, states, run.asOf);
      if (reason !== undefined) {
        await deps.ledger.append([runEvent(deps, run, { type: "task.skipped", data: { reason, run_id: run.id, task: task.name } })]);
        states.set(task.name, { passed: false });
        skippedNow++;
        deps.onProgress?.({ task: task.name, state: "skipped", result: null, reason });
        return;
      }
      deps.onProgress?.({ task: task.name, state: "started" });
      const outcome = await runTask(deps, run, task, resolveOperator(task, options.registry), states, past, options, def, prior.get(task.name) ?? { numbered: 0, failed: 0 });
      if (outcome.next) nexts.push(outcome.next);
      if (outcome.errorCode === "ERR_TIMEOUT") timedOut.add(task.name);
      deps.onProgress?.({ task: task.name, state: outcome.reused ? "reused" : outcome.result === "FAIL" ? "failed" : "passed", result: outcome.result, reason: outcome.reason });
      states.set(task.name, outcome.result === "FAIL" ? { passed: false } : { passed: true, result: outcome.result, outputs: outcome.outputs, asOf: outcome.asOf });
    });
  } catch (error) {
    throw await halt(deps, run, error);
  }
  const tasks = Object.values(def.tasks);
  const failed = tasks.filter((t) => !states.get(t.name)?.passed);
  const status = failed.some((t) => t.critical) ? "degraded" : failed.length > 0 ? "failed" : "succeeded";
  const warned = tasks.some((t) => { const s = states.get(t.name); return s?.passed === true && s.result === "WARN"; });
  const result = failed.length > 0 ? "FAIL" : warned ? "WARN" : "PASS";
  const passed: ClosingTask[] = [];
  for (const task of tasks) {
    const state = states.get(task.name);
    if (state?.passed) passed.push({ task: task.name, result: state.result, declares: resolveOperator(task, options.registry).evidence, outputs: state.outputs });
  }
  const skipped = Object.values(past.runs[run.id]?.tasks ?? {}).filter((t) => t.outcome === "SKIPPED").length + skippedNow;
  try {
    await closeRun(deps, run, { mode: run.workMode, status, result, taskCount: tasks.length, passed, skipped, timedOut: [...timedOut], next: options.next ?? nexts.at(-1) ?? null });
  } catch (error) {
    // Storing the manifest can fail too (a full disk): the run still ends, halted.
    throw await halt(deps, run, error);
  }
  return run.id;
}

/** Records the run as halted if the ledger still takes writes, and returns the engine error, which is what the caller needs. */
async function halt(deps: EngineDeps, run: RunContext, error: unknown): Promise<unknown> {
  await deps.ledger
    .append([runEvent(deps, run, { type: "run.finished", data: { next: `investigate the engine error: ${toRunledgerError(error).message}`, result: "FAIL", run_id: run.id, status: "halted" } })])
    .catch(() => undefined);
  return error;
}

function resolveOperator(task: PipelineTask, registry: OperatorRegistry | undefined): OperatorDefinition {
  if (typeof task.operator !== "string") return task.operator;
  const found = registry?.resolve(task.operator);
  if (!found) throw new Error(`operator ${task.operator} vanished after validation`);
  return found;
}

/** One task: reuse a passed attempt with the same cache key, or run attempts until one passes or retries run out. */
async function runTask(
  deps: EngineDeps,
  run: RunContext,
  task: PipelineTask,
  operator: OperatorDefinition,
  states: ReadonlyMap<string, TaskState>,
  past: ProjectionState,
  options: Omit<RunOptions, "asOf">,
  fresh: Pick<PipelineDefinition, "cache">,
  prior: PriorAttempts,
): Promise<Pick<AttemptOutcome, "result" | "outputs" | "next" | "reason" | "errorCode"> & { asOf: number; reused: boolean }> {
  const inputs: InputRef[] = task.needs.flatMap((need) => { const s = states.get(need); return s?.passed ? s.outputs.map((o) => ({ task: need, path: o.path, digest: o.digest })) : []; });
  const params = operator.input.parse(task.params);
  const env: Record<string, string> = { ...operator.env };
  for (const key of Object.keys(env)) if (options.params?.[key] !== undefined) env[key] = options.params[key] as string;
  const hash = inputsHash(params, inputs);
  const fingerprint = envFingerprint(env);
  const codeDigest = operatorCodeDigest(operator);
  const key = cacheKey({ operatorRef: operator.ref, codeDigest, inputsHash: hash, configVersions: [], envFingerprint: fingerprint, runMode: run.runMode });
  const jobId = `${run.id}:${task.name}`;
  // A pipeline may ask for fresh state every cycle (seed 001 §3.5), as a run may with --no-cache.
  const cached = options.noCache || !fresh.cache ? undefined : past.attempts[past.cache[key] ?? ""];
  if (cached?.result && (await allStored(deps, cached.outputs))) {
    await deps.ledger.append([runEvent(deps, run, { type: "attempt.reused", data: { attempt_id: (deps.ids ?? randomIds).next(), job_id: jobId, outputs: [...cached.outputs], receipt_digest: cached.receipt_digest as string, result: cached.result, run_id: run.id, source_attempt_id: cached.attempt_id, task: task.name } })]);
    return { result: cached.result, outputs: cached.outputs, next: null, reason: null, errorCode: null, asOf: madeAsOf(past, cached, run.asOf), reused: true };
  }
  // Abandoned attempts are retried without spending the retry budget; failed ones spend it.
  const budget = Math.max(1, 1 + (task.retries ?? operator.retries) - prior.failed);
  let outcome: AttemptOutcome | undefined;
  for (let n = 1; n <= budget; n++) {
    if (n > 1) await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** (n - 2), 5_000)));
    outcome = await runAttempt(deps, run, { task, operator, jobId, attemptNumber: prior.numbered + n, inputs, params, env, inputsHash: hash, envFingerprint: fingerprint, codeDigest, cacheKey: key });
    if (outcome.result !== "FAIL" || !outcome.retryable) break;
  }
  return { ...(outcome as AttemptOutcome), asOf: run.asOf.getTime(), reused: false };
}

/** The `as_of` of the run whose attempt made these outputs: a reused attempt's data is as old as its source's. */
function madeAsOf(past: ProjectionState, attempt: AttemptView, fallback: Date): number {
  const source = attempt.source_attempt_id === null ? attempt : (past.attempts[attempt.source_attempt_id] ?? attempt);
  const made = past.runs[source.correlation_ids.run_id]?.as_of;
  return made === undefined ? fallback.getTime() : Date.parse(made);
}

/** Seed 001's staleness precondition: an input made for an `as_of` older than the task's maxStaleness skips it. */
function staleInput(task: PipelineTask, states: ReadonlyMap<string, TaskState>, asOf: Date): string | undefined {
  if (task.maxStalenessMs === undefined) return undefined;
  for (const need of task.needs) {
    const state = states.get(need);
    if (state?.passed && asOf.getTime() - state.asOf > task.maxStalenessMs) {
      return `input-stale: ${need} is as of ${new Date(state.asOf).toISOString()}, older than maxStaleness ${task.maxStalenessMs} ms`;
    }
  }
  return undefined;
}

async function allStored(deps: EngineDeps, outputs: readonly { digest: string }[]): Promise<boolean> {
  for (const output of outputs) if (!(await deps.artifacts.has(output.digest))) return false;
  return true;
}

/**
 * Starts each task, in plan order, once every task it needs has settled; at most `limit` at once.
 * After a task's work throws (the run halts) nothing new starts, and the promise rejects with that
 * error once the attempts in flight have settled: none is left running behind the run's end.
 */
async function schedule(order: readonly string[], def: PipelineDefinition, done: ReadonlySet<string>, limit: number, work: (task: PipelineTask) => Promise<void>): Promise<void> {
  const settled = new Set<string>(done);
  const started = new Set<string>();
  let running = 0;
  await new Promise<void>((resolve, reject) => {
    let failed = false;
    let failure: unknown;
    const pump = () => {
      if (failed) {
        if (running === 0) reject(failure);
        return;
      }
      if (settled.size === order.length + done.size) return resolve();
      for (const name of order) {
        if (running >= Math.max(1, limit)) return;
        const task = def.tasks[name] as PipelineTask;
        if (started.has(name) || !task.needs.every((need) => settled.has(need))) continue;
        started.add(name);
        running++;
        work(task).then(
          () => {
            running--;
            settled.add(name);
            pump();
          },
          (error: unknown) => {
            running--;
            if (!failed) failure = error;
            failed = true;
            pump();
          },
        );
      }
    };
    pump();
  });
}
