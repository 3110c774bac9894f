import type { AttemptOutcome, AttemptPlan } from "./attempt-context.js";
import type { RunSession } from "./run-session.js";
import type { PriorAttempts } from "./task-state.js";

/** A task resolved for its attempts: everything an AttemptPlan holds but the attempt's number. */
export type PreparedTask = Omit<AttemptPlan, "attemptNumber">;

/** How a task settled in this run: passed or failed, run here or reused from the cache. */
export type SettledTask = Pick<AttemptOutcome, "result" | "outputs" | "next" | "reason" | "errorCode" | "violation"> & {
  readonly asOf: number;
  readonly reused: boolean;
};

/** A task settled, or waiting for a person (a manual task, a gate awaiting approval). */
export type TaskOutcome = SettledTask | { readonly waiting: true };

/** Runs one kind of task to its outcome: its attempts, retries, reuse or waiting are its own. */
export interface TaskRunner {
  /** `releaseSlot` gives the task's concurrency slot back early, for a task that runs no attempt. */
  run(session: RunSession, task: PreparedTask, prior: PriorAttempts, releaseSlot: () => void): Promise<TaskOutcome>;
}

/** The plan of the task's attempt numbered `attemptNumber`. */
export function attemptPlan(task: PreparedTask, attemptNumber: number): AttemptPlan {
  return { ...task, attemptNumber };
}

/** An attempt's outcome as the task's: made by this run, so as of the run's `as_of`. */
export function ranHere(session: RunSession, outcome: AttemptOutcome): SettledTask {
  return { ...outcome, asOf: session.run.asOf.getTime(), reused: false };
}
