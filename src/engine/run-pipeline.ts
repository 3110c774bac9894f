import { availableParallelism } from "node:os";
import { dirname } from "node:path";
import { systemClock } from "../core/clock.js";
import { RunledgerError, toRunledgerError } from "../core/errors.js";
import { randomIds } from "../core/ids.js";
import type { NewEvent } from "../ledger/ledger-event.js";
import { Projector } from "../ledger/projections/projector.js";
import { applyEvent } from "../ledger/projections/apply-event.js";
import type { AttemptView, GateView, ProjectionState, RunView } from "../ledger/projections/projection-state.js";
import { operatorCodeDigest } from "../operators/operator-code-digest.js";
import type { OperatorDefinition } from "../operators/operator-definition.js";
import type { OperatorRegistry } from "../operators/operator-registry.js";
import type { PipelineDefinition, PipelineTask } from "../pipelines/define-pipeline.js";
import { pipelineDigest, planPipeline } from "../pipelines/plan.js";
import { assertValidPipeline } from "../pipelines/validate-pipeline.js";
import { ModeRegistry } from "../modes/mode-registry.js";
import { selectMode } from "../modes/select-mode.js";
import type { WorkMode } from "../modes/work-mode.js";
import { BackgroundWork, runEvent, type AttemptOutcome, type EngineDeps, type RunContext } from "./attempt-context.js";
import { closeRun, timeboxExceeded, type ClosingTask } from "./close-run.js";
import { checkRunModes } from "./check-run-modes.js";
import { admitRun, PauseWatch } from "./admission.js";
import { checkSecretsAndConfigs } from "./check-secrets-and-configs.js";
import { readConfigs } from "../configs/config-files.js";
import { cacheKey, envFingerprint, inputsHash, type InputRef } from "./cache-key.js";
import { evaluateGate, movesForward } from "./gate-attempt.js";
import { adminEvent } from "../governance/admin-event.js";
import { completeManualAttempt, suspendManualAttempt, type ManualCompletion } from "./manual-attempt.js";
import { mapEvidence } from "./map-evidence.js";
import { attemptDir, runAttempt } from "./run-attempt.js";
import { EffectsSocket } from "./effects-socket.js";
import { engineFault, haltForEngineError } from "./engine-fault.js";
import { killTaggedProcesses } from "../processes/kill-tagged-processes.mjs";
import { stopLeftoverGroup } from "./run-command.js";
import { runSandbox, type RunSandbox } from "./sandbox.js";

/** How a run is started. */
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
  /** `shadow` or `enforced`; default the pipeline's `enforcement`, else `enforced`. Resume keeps the run's. */
  readonly enforcement?: "shadow" | "enforced";
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
  await checkSecretsAndConfigs(def, { runMode, secrets: deps.secrets, baseDir: baseDirOf(def), resolve: (task) => resolveOperator(task, options.registry) });
  const plan = planPipeline(def);
  const runId = (deps.ids ?? randomIds).next();
  const asOf = options.asOf ?? (deps.clock ?? systemClock).now();
  const sandbox = runSandbox(def, deps);
  const run = runContext(def, runId, options.project, asOf, mode, runMode, options.enforcement ?? def.enforcement ?? "enforced", sandbox);
  const past = await new Projector(deps.ledger, { project: run.project }).catchUp();
  for (const warning of admitRun(past, run.project, def.name, operatorRefs(def, options.registry), "start")) deps.onWarning?.(warning);
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
export async function resumeRun(spec: PipelineDefinition, deps: EngineDeps, runId: string, options: ResumeOptions): Promise<string> {
  return withOpenRun(spec, deps, runId, options, (def, view, past) => resumeClaimed(def, deps, runId, options, view, past));
}

/** What resuming or completing a run takes: the run's own settings are the ledger's. */
export type ResumeOptions = Omit<RunOptions, "asOf" | "params" | "mode" | "title" | "runMode" | "ci" | "enforcement">;

/**
 * Completes a waiting manual task of a run and continues the run as `resumeRun` does, so the
 * tasks that need it run and the run closes (or waits again for another manual task). The
 * evidence files are mapped to the task's declared outputs by file name before anything is
 * recorded (ERR_EVIDENCE_MISMATCH); a task that is not waiting is ERR_NOT_WAITING. The completion
 * is recorded with `deps.actor`; the task's checks run on the evidence as on any output.
 */
export async function completeTask(spec: PipelineDefinition, deps: EngineDeps, runId: string, completion: { readonly task: string; readonly files: readonly string[]; readonly result: "PASS" | "WARN" | "FAIL"; readonly note?: string }, options: ResumeOptions): Promise<string> {
  if (!["PASS", "WARN", "FAIL"].includes(completion.result)) throw new RunledgerError("ERR_USAGE", { detail: `result ${JSON.stringify(completion.result)}: expected PASS, WARN or FAIL` });
  return withOpenRun(spec, deps, runId, options, async (def, view, past) => {
    const task = def.tasks[completion.task];
    const state = view.tasks[completion.task];
    if (!task || !state) throw new RunledgerError("ERR_USAGE", { detail: `run ${runId} has no task ${completion.task}; its tasks: ${Object.keys(view.tasks).join(", ")}` });
    const waiting = waitingAttempt(past, runId, completion.task);
    if (!waiting) {
      const manual = resolveOperator(task, options.registry).kind === "manual";
      throw new RunledgerError("ERR_NOT_WAITING", { detail: `task ${completion.task} of run ${runId} is ${state.outcome}${manual ? "" : ", and not a manual task"}; only a WAITING manual task can be completed` });
    }
    const evidence = await mapEvidence(resolveOperator(task, options.registry), completion.files);
    const manual: ManualCompletion = { task: completion.task, evidence, result: completion.result, ...(completion.note === undefined ? {} : { note: completion.note }) };
    return resumeClaimed(def, deps, runId, { ...options, completion: manual }, view, past);
  }, (view) => new RunledgerError("ERR_NOT_WAITING", { detail: `run ${runId} already finished (${view.status}); task ${completion.task} waits for nothing` }));
}

/**
 * Approves or rejects a gate of a run that awaits approval, as `deps.actor` with a reason (an
 * admin event), and continues the run as `resumeRun` does. Approval advances the gate's watermark
 * in the same append. A gate whose checks failed, or that was already decided, cannot be
 * (ERR_GATE_NOT_APPROVABLE); a watermark moved past the value since is ERR_WATERMARK_REGRESSION.
 */
export async function decideGate(spec: PipelineDefinition, deps: EngineDeps, runId: string, decision: { readonly gate: string; readonly approve: boolean; readonly reason: string | undefined }, options: ResumeOptions): Promise<string> {
  const refusal = (past: ProjectionState): RunledgerError | undefined => {
    const gate = past.gates[`${runId}/${decision.gate}`];
    if (!gate) return new RunledgerError("ERR_GATE_NOT_FOUND", { detail: `run ${runId} has no evaluated gate ${decision.gate}` });
    if (gate.status === "awaiting_approval") return undefined;
    const why = gate.status === "failed" ? `its checks failed (${gate.checks.filter((c) => c.result === "FAIL").map((c) => c.name).join(", ")})` : `it is already ${gate.status}`;
    return new RunledgerError("ERR_GATE_NOT_APPROVABLE", { detail: `gate ${decision.gate} of run ${runId}: ${why}` });
  };
  const work = async (def: PipelineDefinition, view: RunView, past: ProjectionState): Promise<string> => {
    const refused = refusal(past);
    if (refused) throw refused;
    const gate = past.gates[`${runId}/${decision.gate}`] as GateView;
    const advance = decision.approve ? gate.advances : null;
    const mark = advance ? past.watermarks[advance.watermark] : undefined;
    if (advance && !movesForward(mark, { watermark: advance.watermark, value: advance.value, ...(advance.definition ? { definition: advance.definition } : {}) })) {
      throw new RunledgerError("ERR_WATERMARK_REGRESSION", { detail: `${advance.watermark} moved to ${mark?.value ?? "?"} since the gate was evaluated; ${advance.value} is not later` });
    }
    const status = decision.approve ? "approved" : "rejected";
    const run = { project: view.project };
    const appended = await deps.ledger.append([
      adminEvent(view.project, deps.actor, { action_type: decision.approve ? "gate_approve" : "gate_reject", reason: decision.reason, targets: [{ kind: "gate", id: decision.gate }, { kind: "run", id: runId }], before: { status: gate.status, checks: gate.checks }, after: { status, ...(advance ? { advances: advance } : {}) }, result: "applied" }),
      ...(advance ? [runEvent(deps, run, { type: "watermark.advanced", data: { ...(advance.definition ? { definition: advance.definition } : {}), gate: decision.gate, run_id: runId, value: advance.value, watermark: advance.watermark } })] : []),
    ]);
    // The run goes on from the state just read, with the decision applied.
    for (const event of appended) applyEvent(past, event);
    return resumeClaimed(def, deps, runId, options, view, past);
  };
  // A finished run's gate says why it cannot be decided (failed, or decided already) first.
  return withOpenRun(spec, deps, runId, options, work, (view, past) => refusal(past) ?? finishedRun(runId, view));
}

function finishedRun(runId: string, view: RunView): RunledgerError {
  return new RunledgerError("ERR_USAGE", { detail: `run ${runId} already finished (${view.status}); start a new run instead` });
}

/** Claims the run, reads it, and hands over its definition when it may go on: not finished, and its pipeline unchanged. */
async function withOpenRun(
  spec: PipelineDefinition,
  deps: EngineDeps,
  runId: string,
  options: ResumeOptions,
  work: (def: PipelineDefinition, view: RunView, past: ProjectionState) => Promise<string>,
  finished: (view: RunView, past: ProjectionState) => RunledgerError = (view) => finishedRun(runId, view),
): Promise<string> {
  // Claim first, then read: what another engine did before the claim is in the state read below.
  const release = await deps.claimRun?.(runId);
  try {
    const past = await new Projector(deps.ledger, { project: options.project }).catchUp();
    const view = past.runs[runId];
    if (!view) throw new RunledgerError("ERR_RUN_NOT_FOUND", { detail: `${runId} in project ${options.project}` });
    if (view.finished_at_utc !== null) throw finished(view, past);
    const def: PipelineDefinition = view.work_mode === spec.mode ? spec : { ...spec, mode: view.work_mode };
    assertValidPipeline(def, options.registry);
    if (view.pipeline_digest !== null && view.pipeline_digest !== pipelineDigest(def, options.registry)) {
      throw new RunledgerError("ERR_VALIDATION", { detail: `pipeline ${def.name} changed since run ${runId} was requested; start a new run instead` });
    }
    await checkSecretsAndConfigs(def, { runMode: view.run_mode, secrets: deps.secrets, baseDir: baseDirOf(def), resolve: (task) => resolveOperator(task, options.registry) });
    // Before a completion or a gate decision is recorded: a run that cannot go on records neither.
    runSandbox(def, deps);
    return await work(def, view, past);
  } finally {
    await release?.();
  }
}

/** The task's last attempt in the run when it waits for a manual completion. */
function waitingAttempt(past: ProjectionState, runId: string, task: string): AttemptView | undefined {
  const last = past.attempts[past.runs[runId]?.tasks[task]?.attempts.at(-1) ?? ""];
  return last?.status === "waiting" ? last : undefined;
}

/** Run options inside the engine: a completion `completeTask` brings along. */
type EngineOptions = Omit<RunOptions, "asOf"> & { readonly completion?: ManualCompletion };

async function resumeClaimed(def: PipelineDefinition, deps: EngineDeps, runId: string, options: ResumeOptions & { readonly completion?: ManualCompletion }, view: RunView, past: ProjectionState): Promise<string> {
  const run = runContext(def, runId, view.project, new Date(view.as_of), (options.modes ?? new ModeRegistry()).get(view.work_mode), view.run_mode, view.enforcement, runSandbox(def, deps));
  for (const warning of admitRun(past, run.project, def.name, operatorRefs(def, options.registry), "resume")) deps.onWarning?.(warning);
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
    // A gate's attempt passing is not enough: it counts as passed once the gate passed or was approved.
    const gate = spec && resolveOperator(spec, options.registry).gate ? (past.gates[`${runId}/${task.name}`]?.status ?? "undecided") : undefined;
    if (gate === "failed" || gate === "rejected") states.set(task.name, { passed: false });
    else if (gate === "awaiting_approval" || gate === "undecided") {
      // left pending: an awaiting gate waits again, an undecided one is evaluated again
    } else if (passed?.result) states.set(task.name, { passed: true, result: passed.result, outputs: passed.outputs, asOf: madeAsOf(past, passed, run.asOf) });
    else if (task.outcome === "SKIPPED" || exhausted) states.set(task.name, { passed: false });
    prior.set(task.name, { numbered: attempts.length, failed: failed.length });
  }
  if (view.status === "paused") abandoned.push(runEvent(deps, run, { type: "run.started", data: { run_id: runId } }));
  if (abandoned.length > 0) await deps.ledger.append(abandoned);
  return continueRun(def, planPipeline(def).order, deps, run, past, { ...options, params: view.params }, states, prior);
}

/** Attempts a task already made in this run: how many were numbered, and how many failed (the retry budget). */
interface PriorAttempts {
  readonly numbered: number;
  readonly failed: number;
}

/** Where relative config paths point: the pipeline file's directory, or the working directory for a pipeline defined in code. */
function baseDirOf(def: PipelineDefinition): string {
  return def.source !== "typescript" ? dirname(def.source) : process.cwd();
}

function runContext(def: PipelineDefinition, id: string, project: string, asOf: Date, workMode: WorkMode, runMode: "mock" | "real", enforcement: "shadow" | "enforced", sandbox: RunSandbox): RunContext {
  const isFile = def.source !== "typescript";
  const halting = new AbortController();
  // An error in the socket's own callbacks has no caller to reach: it halts the run (driveRun closes it).
  const effectsSocket = new EffectsSocket((error) => haltForEngineError(halting, error));
  return { id, project, asOf, workMode, runMode, enforcement, effects: def.effects ?? {}, pipelineDir: isFile ? dirname(def.source) : undefined, background: new BackgroundWork(), halting, effectsSocket, sandbox, ...(def.limits && { limits: def.limits }) };
}

/** Drives the run (see driveRun), and returns once the housekeeping its attempts left is done too. */
async function continueRun(...args: Parameters<typeof driveRun>): Promise<string> {
  try {
    return await driveRun(...args);
  } finally {
    await args[3].background.settled();
    await args[3].effectsSocket.close();
  }
}

async function driveRun(
  def: PipelineDefinition,
  /** The tasks in plan order, as run.requested recorded them. */
  order: readonly string[],
  deps: EngineDeps,
  run: RunContext,
  past: ProjectionState,
  options: EngineOptions,
  states: Map<string, TaskState>,
  prior: ReadonlyMap<string, PriorAttempts>,
): Promise<string> {
  const nexts: string[] = [];
  const timedOut = new Set<string>();
  const waiting: string[] = [];
  let skippedNow = 0;
  const watch = new PauseWatch(deps.ledger, run.project, def.name, past);
  let paused: string | undefined;
  // The first violation halts the run: tasks not yet started are skipped, whatever they need.
  let halt: { task: string; detail: string } | undefined;
  try {
    const pending = order.filter((name) => !states.has(name));
    const slots = new Slots(options.concurrency ?? availableParallelism());
    const skip = async (task: PipelineTask, reason: string) => {
      await deps.ledger.append([runEvent(deps, run, { type: "task.skipped", data: { reason, run_id: run.id, task: task.name } })]);
      states.set(task.name, { passed: false });
      skippedNow++;
      deps.onProgress?.({ task: task.name, state: "skipped", result: null, reason });
    };
    // Halted: what has not started is skipped. Paused: nothing more starts; what is in flight
    // finishes, the rest waits for `resume`.
    const stopped = async (task: PipelineTask, release: () => void): Promise<boolean> => {
      if (halt !== undefined || engineFault(run.halting) !== undefined) {
        release();
        await skip(task, halt !== undefined ? `run-halted: violation in task ${halt.task}` : "run-halted: engine error");
        return true;
      }
      return (paused ??= await watch.paused()) !== undefined;
    };
    /** Takes in a task's outcome: "held" when it waits for a person. */
    const settle = (task: PipelineTask, outcome: Awaited<ReturnType<typeof runTask>>): "held" | undefined => {
      if ("waiting" in outcome) {
        waiting.push(task.name);
        deps.onProgress?.({ task: task.name, state: "waiting", result: null, reason: `waiting for: runledger complete ${run.id} ${task.name}` });
        return "held";
      }
      if (outcome.next) nexts.push(outcome.next);
      if (outcome.violation) {
        halt ??= { task: task.name, detail: outcome.violation };
        run.halting.abort();
      }
      if (outcome.errorCode === "ERR_TIMEOUT") timedOut.add(task.name);
      deps.onProgress?.({ task: task.name, state: outcome.reused ? "reused" : outcome.result === "FAIL" ? "failed" : "passed", result: outcome.result, reason: outcome.reason });
      states.set(task.name, outcome.result === "FAIL" ? { passed: false } : { passed: true, result: outcome.result, outputs: outcome.outputs, asOf: outcome.asOf });
      return undefined;
    };
    await schedule(pending, def, new Set(states.keys()), async (task) => {
      // Slots go in plan order; a task gives its slot back as soon as it knows it will not run an
      // attempt (skipped, or reused), so those of many tasks are decided together and share commits.
      const release = await slots.acquire();
      try {
        if (await stopped(task, release)) return;
        const blocked = task.needs.find((need) => {
          const state = states.get(need);
          return !state?.passed || (state.result === "WARN" && !task.allowWarn);
        });
        const reason = blocked !== undefined ? "upstream-not-passed" : staleInput(task, states, run.asOf);
        if (reason !== undefined) {
          release();
          return await skip(task, reason);
        }
        deps.onProgress?.({ task: task.name, state: "started" });
        // The slot is freed only once the outcome is taken in, so a violation halts the run before the next attempt starts.
        return settle(task, await runTask(deps, run, task, resolveOperator(task, options.registry), states, past, options, def, prior.get(task.name) ?? { numbered: 0, failed: 0 }, release));
      } catch (error) {
        // An engine error halts the run: what is in flight is stopped rather than waited out.
        run.halting.abort();
        throw error;
      } finally {
        release();
      }
    });
    // An engine error raised outside the tasks' own code (the effects socket, an effect's records).
    const fault = engineFault(run.halting);
    if (fault !== undefined) throw fault;
  } catch (error) {
    throw await haltRun(deps, run, error);
  }
  if (paused !== undefined) {
    await deps.ledger.append([runEvent(deps, run, { type: "run.paused", data: { reason: paused, run_id: run.id } })]);
    return run.id;
  }
  if (waiting.length > 0) {
    // The run waits for people: the engine stops without closing it; `completeTask` goes on. What
    // this engine saw that the close would record (timeboxes exceeded, a next pointer) is recorded now.
    const next = options.next ?? nexts.at(-1);
    await deps.ledger.append([
      ...[...timedOut].map((task) => timeboxExceeded(deps, run, task)),
      ...(next === undefined ? [] : [runEvent(deps, run, { type: "next.recorded", data: { next, run_id: run.id } })]),
      runEvent(deps, run, { type: "run.suspended", data: { run_id: run.id, tasks: order.filter((name) => waiting.includes(name)) } }),
    ]);
    return run.id;
  }
  const tasks = Object.values(def.tasks);
  const failed = tasks.filter((t) => !states.get(t.name)?.passed);
  const status = halt !== undefined ? "halted" : failed.some((t) => t.critical) ? "degraded" : failed.length > 0 ? "failed" : "succeeded";
  const warned = tasks.some((t) => { const s = states.get(t.name); return s?.passed === true && s.result === "WARN"; });
  const result = failed.length > 0 ? "FAIL" : warned ? "WARN" : "PASS";
  const passed: ClosingTask[] = [];
  for (const task of tasks) {
    const state = states.get(task.name);
    if (state?.passed) passed.push({ task: task.name, result: state.result, declares: resolveOperator(task, options.registry).evidence, outputs: state.outputs });
  }
  const skipped = Object.values(past.runs[run.id]?.tasks ?? {}).filter((t) => t.outcome === "SKIPPED").length + skippedNow;
  try {
    await closeRun(deps, run, { mode: run.workMode, status, result, taskCount: tasks.length, passed, skipped, timedOut: [...timedOut], next: options.next ?? (halt ? `review the violation in task ${halt.task}: ${halt.detail}` : nexts.at(-1)) ?? null });
  } catch (error) {
    // Storing the manifest can fail too (a full disk): the run still ends, halted.
    throw await haltRun(deps, run, error);
  }
  return run.id;
}

/** Records the run as halted if the ledger still takes writes, and returns the engine error, which is what the caller needs. */
async function haltRun(deps: EngineDeps, run: RunContext, error: unknown): Promise<unknown> {
  await deps.ledger
    .append([runEvent(deps, run, { type: "run.finished", data: { next: `investigate the engine error: ${toRunledgerError(error).message}`, result: "FAIL", run_id: run.id, status: "halted" } })])
    .catch(() => undefined);
  return error;
}

/** The ref of every task's operator. */
function operatorRefs(def: PipelineDefinition, registry: OperatorRegistry | undefined): string[] {
  return Object.values(def.tasks).map((task) => resolveOperator(task, registry).ref);
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
  options: EngineOptions,
  fresh: Pick<PipelineDefinition, "cache">,
  prior: PriorAttempts,
  /** Gives the task's concurrency slot back: a reuse runs no attempt. */
  releaseSlot: () => void,
): Promise<(Pick<AttemptOutcome, "result" | "outputs" | "next" | "reason" | "errorCode" | "violation"> & { asOf: number; reused: boolean }) | { waiting: true }> {
  const inputs: InputRef[] = task.needs.flatMap((need) => { const s = states.get(need); return s?.passed ? s.outputs.map((o) => ({ task: need, path: o.path, digest: o.digest })) : []; });
  const params = operator.input.parse(task.params);
  const env: Record<string, string> = { ...operator.env };
  for (const key of Object.keys(env)) if (options.params?.[key] !== undefined) env[key] = options.params[key] as string;
  const hash = inputsHash(params, inputs);
  const fingerprint = envFingerprint(env);
  const codeDigest = operatorCodeDigest(operator);
  const configs = await readConfigs(operator.configs, run.pipelineDir ?? process.cwd());
  // A shadow attempt of an operator with effects never stands in for an enforced one (nor the other way round).
  const shadowed = run.enforcement === "shadow" && operator.effects.length > 0;
  const key = cacheKey({ operatorRef: operator.ref, codeDigest, inputsHash: hash, configVersions: configs.map((c) => c.ref), envFingerprint: fingerprint, runMode: run.runMode, ...(shadowed && { enforcement: "shadow" as const }) });
  const jobId = `${run.id}:${task.name}`;
  const plan = (attemptNumber: number) => ({ task, operator, jobId, attemptNumber, inputs, params, env, inputsHash: hash, envFingerprint: fingerprint, codeDigest, cacheKey: key, configs });
  if (operator.gate) {
    // A gate decides anew in every run: its checks, then (where needed) a person's approval.
    if (past.gates[`${run.id}/${task.name}`]?.status === "awaiting_approval") return { waiting: true };
    const attempt = await runAttempt(deps, run, plan(prior.numbered + 1));
    const decided = await evaluateGate(deps, run, task.name, operator.gate, attempt, env, past);
    return decided === "awaiting" ? { waiting: true } : { ...decided, asOf: run.asOf.getTime(), reused: false };
  }
  if (operator.kind === "manual") {
    // Never reused from the cache: what a person did once is not done again by replaying it.
    const waiting = waitingAttempt(past, run.id, task.name);
    const completion = options.completion?.task === task.name ? options.completion : undefined;
    if (!waiting || !completion) {
      if (!waiting) await suspendManualAttempt(deps, run, plan(prior.numbered + 1));
      return { waiting: true };
    }
    const outcome = await completeManualAttempt(deps, run, plan(waiting.attempt_number), waiting, completion);
    if (outcome.result === "FAIL" && outcome.retryable && prior.failed + 1 < 1 + (task.retries ?? operator.retries)) {
      await suspendManualAttempt(deps, run, plan(prior.numbered + 1));
      return { waiting: true };
    }
    return { ...outcome, asOf: run.asOf.getTime(), reused: false };
  }
  // A pipeline may ask for fresh state every cycle (seed 001 §3.5), as a run may with --no-cache.
  const cached = options.noCache || !fresh.cache ? undefined : past.attempts[past.cache[key] ?? ""];
  if (cached?.result && (await allStored(deps, cached.outputs))) {
    releaseSlot();
    await deps.ledger.append([runEvent(deps, run, { type: "attempt.reused", data: { attempt_id: (deps.ids ?? randomIds).next(), job_id: jobId, outputs: [...cached.outputs], receipt_digest: cached.receipt_digest as string, result: cached.result, run_id: run.id, source_attempt_id: cached.attempt_id, task: task.name } })]);
    return { result: cached.result, outputs: cached.outputs, next: null, reason: null, errorCode: null, violation: null, asOf: madeAsOf(past, cached, run.asOf), reused: true };
  }
  // Abandoned attempts are retried without spending the retry budget; failed ones spend it.
  const budget = Math.max(1, 1 + (task.retries ?? operator.retries) - prior.failed);
  let outcome: AttemptOutcome | undefined;
  for (let n = 1; n <= budget; n++) {
    if (n > 1) await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** (n - 2), 5_000)));
    // A run that halted during the backoff starts no retry.
    if (n > 1 && run.halting.signal.aborted) break;
    outcome = await runAttempt(deps, run, plan(prior.numbered + n));
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
 * Starts each task, in plan order, as soon as every task it needs has settled; the work limits
 * itself (see Slots). A task whose work resolves "held" (a manual task waiting) holds every task
 * downstream of it: those never start, and the schedule ends when all others settled. After a
 * task's work throws (the run halts) nothing new starts, and the promise rejects with that error
 * once the work in flight has settled: none is left running behind the run's end. Each settle
 * touches only the tasks that need the settled one.
 */
async function schedule(order: readonly string[], def: PipelineDefinition, done: ReadonlySet<string>, work: (task: PipelineTask) => Promise<"held" | void>): Promise<void> {
  const position = new Map(order.map((name, i) => [name, i]));
  const waitingOn = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const name of order) {
    const needs = (def.tasks[name] as PipelineTask).needs.filter((need) => !done.has(need));
    waitingOn.set(name, needs.length);
    for (const need of needs) {
      const list = dependents.get(need);
      if (list) list.push(name);
      else dependents.set(need, [name]);
    }
  }
  let open = order.length;
  let running = 0;
  await new Promise<void>((resolve, reject) => {
    let failed = false;
    let failure: unknown;
    const finish = () => {
      if (running > 0) return;
      if (failed) reject(failure);
      else if (open === 0) resolve();
    };
    const hold = (name: string) => {
      for (const dependent of dependents.get(name) ?? []) {
        if (waitingOn.get(dependent) === -1) continue;
        waitingOn.set(dependent, -1);
        open--;
        hold(dependent);
      }
    };
    const start = (names: readonly string[]) => {
      for (const name of [...names].sort((a, b) => (position.get(a) as number) - (position.get(b) as number))) {
        if (failed) return;
        running++;
        work(def.tasks[name] as PipelineTask).then(
          (outcome) => {
            running--;
            open--;
            if (outcome === "held") hold(name);
            else {
              const ready: string[] = [];
              for (const dependent of dependents.get(name) ?? []) {
                const left = (waitingOn.get(dependent) as number) - 1;
                waitingOn.set(dependent, left);
                if (left === 0) ready.push(dependent);
              }
              start(ready);
            }
            finish();
          },
          (error: unknown) => {
            running--;
            open--;
            if (!failed) failure = error;
            failed = true;
            finish();
          },
        );
      }
    };
    start(order.filter((name) => waitingOn.get(name) === 0));
    finish();
  });
}

/**
 * The concurrency limit: at most this many tasks hold a slot, handed out first come, first
 * served. Releasing twice is harmless, so a task may give its slot back early.
 */
class Slots {
  #free: number;
  readonly #queue: (() => void)[] = [];

  constructor(limit: number) {
    this.#free = Math.max(1, limit);
  }

  async acquire(): Promise<() => void> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#queue.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#queue.shift();
      if (next) next();
      else this.#free++;
    };
  }
}
