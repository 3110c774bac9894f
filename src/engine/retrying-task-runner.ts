import { randomIds } from "../core/ids.js";
import type { AttemptView } from "../ledger/projections/projection-state.js";
import { runEvent, type AttemptOutcome, type EngineDeps } from "./attempt-context.js";
import { runAttempt } from "./run-attempt.js";
import type { RunSession } from "./run-session.js";
import { attemptPlan, ranHere, type PreparedTask, type SettledTask, type TaskRunner } from "./task-runner.js";
import type { Verdict } from "../contracts/verdict.js";

/**
 * Function and command tasks: a passed attempt with the same cache key is reused (its outputs
 * still stored); otherwise attempts run until one passes or the retries run out, with exponential
 * backoff between them. Abandoned attempts are retried without spending the retry budget; failed
 * ones spend it.
 */
export const retryingTaskRunner: TaskRunner = {
  async run(session, task, prior, releaseSlot) {
    const cached = await cachedAttempt(session, task);
    if (cached?.result && (await allStored(session.deps, cached.outputs))) return reuse(session, task, cached, releaseSlot);
    const { deps, run } = session;
    const budget = Math.max(1, 1 + (task.task.retries ?? task.operator.retries) - prior.failed);
    let outcome: AttemptOutcome | undefined;
    for (let n = 1; n <= budget; n++) {
      if (n > 1) await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** (n - 2), 5_000)));
      // A run that halted during the backoff starts no retry.
      if (n > 1 && run.halting.signal.aborted) break;
      outcome = await runAttempt(deps, run, attemptPlan(task, prior.numbered + n));
      if (outcome.result !== "FAIL" || !outcome.retryable) break;
    }
    return ranHere(session, outcome as AttemptOutcome);
  },
};

/** A passed attempt with the task's cache key, when the run may reuse one. */
async function cachedAttempt(session: RunSession, task: PreparedTask): Promise<AttemptView | undefined> {
  const { cache, options, def } = session;
  // A pipeline may ask for fresh state every cycle (seed 001 §3.5), as a run may with --no-cache.
  return options.noCache || !def.cache ? undefined : cache.attempt(task.cacheKey);
}

/** Records the reuse of a cached attempt; a reuse runs no attempt, so the slot goes back first. */
async function reuse(session: RunSession, task: PreparedTask, cached: AttemptView, releaseSlot: () => void): Promise<SettledTask> {
  const { deps, run, cache } = session;
  const result = cached.result as Exclude<Verdict, "FAIL">;
  releaseSlot();
  await deps.ledger.append([
    runEvent(deps, run, {
      type: "attempt.reused",
      data: {
        attempt_id: (deps.ids ?? randomIds).next(),
        job_id: task.jobId,
        outputs: [...cached.outputs],
        receipt_digest: cached.receipt_digest as string,
        result,
        run_id: run.id,
        source_attempt_id: cached.attempt_id,
        task: task.task.name,
      },
    }),
  ]);
  return {
    result,
    outputs: cached.outputs,
    next: null,
    reason: null,
    errorCode: null,
    violation: null,
    asOf: await cache.madeAsOf(cached, run.asOf),
    reused: true,
  };
}

async function allStored(deps: EngineDeps, outputs: readonly { digest: string }[]): Promise<boolean> {
  for (const output of outputs) if (!(await deps.artifacts.has(output.digest))) return false;
  return true;
}
