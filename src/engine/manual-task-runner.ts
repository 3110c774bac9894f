import { completeManualAttempt, suspendManualAttempt } from "./manual-attempt.js";
import { waitingAttempt } from "./resume-state.js";
import { attemptPlan, ranHere, type TaskRunner } from "./task-runner.js";

/**
 * A manual task waits for a person: its first attempt is suspended, and the run's completion of
 * it (`completeTask`) settles it. A FAIL that may be retried suspends a new attempt while the
 * task's retries last. Never reused from the cache: what a person did once is not done again by
 * replaying it.
 */
export const manualTaskRunner: TaskRunner = {
  async run(session, task, prior) {
    const { deps, run, past, options } = session;
    const waiting = waitingAttempt(past, run.id, task.task.name);
    const completion = options.completion?.task === task.task.name ? options.completion : undefined;
    if (!waiting || !completion) {
      if (!waiting) await suspendManualAttempt(deps, run, attemptPlan(task, prior.numbered + 1));
      return { waiting: true };
    }
    const outcome = await completeManualAttempt(deps, run, attemptPlan(task, waiting.attempt_number), waiting, completion);
    if (outcome.result === "FAIL" && outcome.retryable && prior.failed + 1 < 1 + (task.task.retries ?? task.operator.retries)) {
      await suspendManualAttempt(deps, run, attemptPlan(task, prior.numbered + 1));
      return { waiting: true };
    }
    return ranHere(session, outcome);
  },
};
