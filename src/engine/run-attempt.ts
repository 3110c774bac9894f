import { randomIds } from "../core/ids.js";
import { systemClock } from "../core/clock.js";
import type { NewEvent } from "../ledger/ledger-event.js";
import { runEvent, type AttemptOutcome, type AttemptPlan, type EngineDeps, type RunContext } from "./attempt-context.js";
import { EffectBroker } from "./effect-broker.js";
import { executeCommand } from "./execute-command.js";
import { executeFunction } from "./execute-function.js";
import { settleAttempt } from "./settle-attempt.js";

// Where the debug packets find an attempt's directory.
export { attemptDir } from "./attempt-dir.js";

/**
 * Runs one attempt of a function or command operator: a fresh directory holding only the passed
 * inputs (read-only) and an empty `outputs/`, the operator under its timebox, the declared outputs
 * into the artifact store, the checks, and a receipt; all of it recorded through the ledger, none
 * of it by operator code.
 */
export async function runAttempt(deps: EngineDeps, run: RunContext, plan: AttemptPlan): Promise<AttemptOutcome> {
  const attemptId = (deps.ids ?? randomIds).next();
  const effects = new EffectBroker(deps, run, { id: attemptId, task: plan.task.name, declared: plan.operator.effects });
  const command = plan.operator.kind === "command";
  // A command's seat on the run's effects socket is taken before the attempt is recorded as started,
  // so nothing but the attempt's own setup stands between attempt.started and the process.
  const seat = command ? await run.effectsSocket.register(effects) : undefined;
  const execute = command ? executeCommand : executeFunction;
  let stopping: Promise<void> | undefined;
  const stopEffects = () =>
    (stopping ??= (async () => {
      seat?.release();
      await effects.close();
    })());
  try {
    await deps.ledger.append([startedEvent(deps, run, plan, attemptId)]);
    const started = (deps.clock ?? systemClock).now();
    return await settleAttempt(deps, run, plan, {
      attemptId,
      started,
      effects,
      execute: (workspace) => execute(run, plan, { ...workspace, attemptId, effects, seat }).finally(stopEffects),
    });
  } finally {
    await stopEffects();
  }
}

/** The attempt.started event of an attempt of `plan`. */
export function startedEvent(deps: EngineDeps, run: RunContext, plan: AttemptPlan, attemptId: string): NewEvent {
  const data = {
    attempt_id: attemptId,
    attempt_number: plan.attemptNumber,
    cache_key: plan.cacheKey,
    job_id: plan.jobId,
    operator_ref: plan.operator.ref,
    run_id: run.id,
    task: plan.task.name,
  };
  return runEvent(deps, run, { type: "attempt.started", data });
}
