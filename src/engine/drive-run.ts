import { availableParallelism } from "node:os";
import { toRunledgerError } from "../core/errors.js";
import type { PipelineTask } from "../pipelines/define-pipeline.js";
import { runEvent } from "./attempt-context.js";
import { PauseWatch } from "./admission.js";
import { closeRun, timeboxExceeded, type ClosingTask, type RunClosing } from "./close-run.js";
import { engineFault } from "./engine-fault.js";
import { resolveOperator } from "./resolve-operator.js";
import type { RunSession } from "./run-session.js";
import { runTask } from "./run-task.js";
import { schedule, skipReason, Slots } from "./scheduler.js";
import { NO_PRIOR_ATTEMPTS, type PriorAttempts, type TaskState } from "./task-state.js";
import type { TaskOutcome } from "./task-runner.js";

/** Where a run stands when this engine takes it up: nothing settled for a new run, the ledger's for a resumed one. */
export interface RunStart {
  /** The tasks in plan order, as run.requested recorded them. */
  readonly order: readonly string[];
  readonly states: Map<string, TaskState>;
  readonly prior: ReadonlyMap<string, PriorAttempts>;
}

/**
 * Drives the run to where this engine stops (closed, paused, or waiting for people; see
 * RunDriver), and returns its id once the housekeeping its attempts left is done too.
 */
export async function continueRun(session: RunSession, start: RunStart): Promise<string> {
  try {
    return await new RunDriver(session, start).drive();
  } finally {
    await session.run.background.settled();
    await session.run.effectsSocket.close();
  }
}

/**
 * One engine's drive of a run: every task not settled yet goes through the schedule (skipped,
 * reused, run, or held waiting), then the run is closed, or recorded paused or suspended. The
 * first violation halts the run: tasks not yet started are skipped, whatever they need.
 */
class RunDriver {
  readonly #session: RunSession;
  readonly #start: RunStart;
  readonly #slots: Slots;
  readonly #watch: PauseWatch;
  readonly #nexts: string[] = [];
  readonly #timedOut = new Set<string>();
  readonly #waiting: string[] = [];
  #skippedNow = 0;
  #paused: string | undefined;
  #halt: { task: string; detail: string } | undefined;

  constructor(session: RunSession, start: RunStart) {
    this.#session = session;
    this.#start = start;
    this.#slots = new Slots(session.options.concurrency ?? availableParallelism());
    this.#watch = new PauseWatch(session.deps.ledger, session.run.project, session.def.name, session.admission);
  }

  async drive(): Promise<string> {
    try {
      await this.#runTasks();
    } catch (error) {
      throw await haltRun(this.#session, error);
    }
    if (this.#paused !== undefined) return this.#recordPause(this.#paused);
    if (this.#waiting.length > 0) return this.#suspend();
    try {
      await closeRun(this.#session.deps, this.#session.run, this.#closing());
    } catch (error) {
      // Storing the manifest can fail too (a full disk): the run still ends, halted.
      throw await haltRun(this.#session, error);
    }
    return this.#session.run.id;
  }

  async #runTasks(): Promise<void> {
    const { states, order } = this.#start;
    const { def, run } = this.#session;
    await schedule(
      order.filter((name) => !states.has(name)),
      def.tasks,
      new Set(states.keys()),
      this.#work,
    );
    // An engine error raised outside the tasks' own code (the effects socket, an effect's records).
    const fault = engineFault(run.halting);
    if (fault !== undefined) throw fault;
  }

  /** One task's turn in the schedule: "held" when it waits for a person. */
  readonly #work = async (task: PipelineTask): Promise<"held" | undefined> => {
    const session = this.#session;
    // Slots go in plan order; a task gives its slot back as soon as it knows it will not run an
    // attempt (skipped, or reused), so those of many tasks are decided together and share commits.
    const release = await this.#slots.acquire();
    try {
      if (await this.#stopped(task, release)) return;
      const reason = skipReason(task, this.#start.states, session.run.asOf);
      if (reason !== undefined) {
        release();
        return await this.#skip(task, reason);
      }
      session.progress({ task: task.name, state: "started" });
      // The slot is freed only once the outcome is taken in, so a violation halts the run before the next attempt starts.
      return this.#settle(task, await runTask(session, task, this.#start.states, this.#start.prior.get(task.name) ?? NO_PRIOR_ATTEMPTS, release));
    } catch (error) {
      // An engine error halts the run: what is in flight is stopped rather than waited out.
      session.run.halting.abort();
      throw error;
    } finally {
      release();
    }
  };

  /** Halted: what has not started is skipped. Paused: nothing more starts; what is in flight finishes, the rest waits for `resume`. */
  async #stopped(task: PipelineTask, release: () => void): Promise<boolean> {
    if (this.#halt !== undefined || engineFault(this.#session.run.halting) !== undefined) {
      release();
      await this.#skip(task, this.#halt !== undefined ? `run-halted: violation in task ${this.#halt.task}` : "run-halted: engine error");
      return true;
    }
    return (this.#paused ??= await this.#watch.paused()) !== undefined;
  }

  async #skip(task: PipelineTask, reason: string): Promise<undefined> {
    const { deps, run } = this.#session;
    await deps.ledger.append([runEvent(deps, run, { type: "task.skipped", data: { reason, run_id: run.id, task: task.name } })]);
    this.#start.states.set(task.name, { passed: false });
    this.#skippedNow++;
    this.#session.progress({ task: task.name, state: "skipped", result: null, reason });
    return undefined;
  }

  /** Takes in a task's outcome: "held" when it waits for a person. */
  #settle(task: PipelineTask, outcome: TaskOutcome): "held" | undefined {
    const { run } = this.#session;
    if ("waiting" in outcome) {
      this.#waiting.push(task.name);
      this.#session.progress({ task: task.name, state: "waiting", result: null, reason: `waiting for: runledger complete ${run.id} ${task.name}` });
      return "held";
    }
    if (outcome.next) this.#nexts.push(outcome.next);
    if (outcome.violation) this.#recordHalt(task.name, outcome.violation);
    if (outcome.errorCode === "ERR_TIMEOUT") this.#timedOut.add(task.name);
    this.#session.progress({
      task: task.name,
      state: outcome.reused ? "reused" : outcome.result === "FAIL" ? "failed" : "passed",
      result: outcome.result,
      reason: outcome.reason,
    });
    this.#start.states.set(
      task.name,
      outcome.result === "FAIL" ? { passed: false } : { passed: true, result: outcome.result, outputs: outcome.outputs, asOf: outcome.asOf },
    );
    return undefined;
  }

  /** The first violation halts the run; what is in flight is stopped. */
  #recordHalt(task: string, detail: string): void {
    this.#halt ??= { task, detail };
    this.#session.run.halting.abort();
  }

  async #recordPause(reason: string): Promise<string> {
    const { deps, run } = this.#session;
    await deps.ledger.append([runEvent(deps, run, { type: "run.paused", data: { reason, run_id: run.id } })]);
    return run.id;
  }

  /**
   * The run waits for people: the engine stops without closing it; `completeTask` goes on. What
   * this engine saw that the close would record (timeboxes exceeded, a next pointer) is recorded now.
   */
  async #suspend(): Promise<string> {
    const { deps, run, options } = this.#session;
    const next = options.next ?? this.#nexts.at(-1);
    await deps.ledger.append([
      ...[...this.#timedOut].map((task) => timeboxExceeded(deps, run, task)),
      ...(next === undefined ? [] : [runEvent(deps, run, { type: "next.recorded", data: { next, run_id: run.id } })]),
      runEvent(deps, run, { type: "run.suspended", data: { run_id: run.id, tasks: this.#start.order.filter((name) => this.#waiting.includes(name)) } }),
    ]);
    return run.id;
  }

  /** What the run's close records: its status and result from every task's state, the passed tasks' outputs, the skips. */
  #closing(): RunClosing {
    const { def, past, run, registry, options } = this.#session;
    const { states } = this.#start;
    const halt = this.#halt;
    const tasks = Object.values(def.tasks);
    const failed = tasks.filter((t) => !states.get(t.name)?.passed);
    const status = halt !== undefined ? "halted" : failed.some((t) => t.critical) ? "degraded" : failed.length > 0 ? "failed" : "succeeded";
    const warned = tasks.some((t) => {
      const s = states.get(t.name);
      return s?.passed === true && s.result === "WARN";
    });
    const result = failed.length > 0 ? "FAIL" : warned ? "WARN" : "PASS";
    const passed: ClosingTask[] = [];
    for (const task of tasks) {
      const state = states.get(task.name);
      if (state?.passed) passed.push({ task: task.name, result: state.result, declares: resolveOperator(task, registry).evidence, outputs: state.outputs });
    }
    const skipped = Object.values(past.runs[run.id]?.tasks ?? {}).filter((t) => t.outcome === "SKIPPED").length + this.#skippedNow;
    const next = options.next ?? (halt ? `review the violation in task ${halt.task}: ${halt.detail}` : this.#nexts.at(-1)) ?? null;
    return { mode: run.workMode, status, result, taskCount: tasks.length, passed, skipped, timedOut: [...this.#timedOut], next };
  }
}

/** Records the run as halted if the ledger still takes writes, and returns the engine error, which is what the caller needs. */
async function haltRun(session: RunSession, error: unknown): Promise<unknown> {
  const { deps, run } = session;
  await deps.ledger
    .append([
      runEvent(deps, run, {
        type: "run.finished",
        data: { next: `investigate the engine error: ${toRunledgerError(error).message}`, result: "FAIL", run_id: run.id, status: "halted" },
      }),
    ])
    .catch(() => undefined);
  return error;
}
