import { copyFile, mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { systemClock } from "../core/clock.js";
import { randomIds } from "../core/ids.js";
import type { AttemptView } from "../ledger/projections/projection-state.js";
import { runEvent, type AttemptOutcome, type AttemptPlan, type EngineDeps, type RunContext } from "./attempt-context.js";
import { attemptDir, prepareAttemptDir, settleAttempt, startedEvent } from "./run-attempt.js";

/** What `runledger complete` records for a waiting manual task. */
export interface ManualCompletion {
  readonly task: string;
  /** Each declared output with the file that holds its evidence. */
  readonly evidence: readonly { readonly path: string; readonly file: string }[];
  /** The outcome as its actor states it; checks on the evidence can only make it worse. */
  readonly result: "PASS" | "WARN" | "FAIL";
  readonly note?: string;
}

/**
 * Starts a manual attempt and leaves it waiting: attempt.started and attempt.suspended (its steps,
 * its performer, and the end of its timebox, which runs from now on the engine's clock) in one
 * append, and the attempt's directory with the passed inputs placed, for the performer to read.
 */
export async function suspendManualAttempt(deps: EngineDeps, run: RunContext, plan: AttemptPlan): Promise<string> {
  const attemptId = (deps.ids ?? randomIds).next();
  const deadline = new Date((deps.clock ?? systemClock).now().getTime() + plan.operator.timeoutMs);
  await prepareAttemptDir(deps, attemptDir(deps.workRoot, run.id, plan.task.name, plan.attemptNumber), plan);
  await deps.ledger.append([
    startedEvent(deps, run, plan, attemptId),
    runEvent(deps, run, { type: "attempt.suspended", data: { attempt_id: attemptId, by: plan.operator.by ?? "human", deadline_utc: deadline.toISOString(), outputs: [...plan.operator.outputs], steps: [...(plan.operator.steps ?? [])] } }),
  ]);
  return attemptId;
}

/**
 * Completes a waiting manual attempt as any attempt settles: the evidence files become its
 * declared outputs (stored by content), its checks run on them, and the verdict is the worse of
 * the checks' and the stated result. Recorded by the completing actor (`deps.actor`), preceded by
 * attempt.completed; a completion after the timebox also fires the `timebox-exceeded` stop rule.
 * A FAIL may be retried (a new waiting attempt) while the task's retries last.
 */
export async function completeManualAttempt(deps: EngineDeps, run: RunContext, plan: AttemptPlan, waiting: AttemptView, completion: ManualCompletion): Promise<AttemptOutcome> {
  const now = (deps.clock ?? systemClock).now();
  const late = waiting.manual !== null && now.getTime() > Date.parse(waiting.manual.deadline_utc);
  const attemptId = waiting.attempt_id;
  const event = (e: Parameters<typeof runEvent>[2]) => runEvent(deps, run, e);
  const detail = `task ${plan.task.name} was completed after its timebox (${waiting.manual?.deadline_utc ?? "?"}): write a next pointer, then schedule or re-scope`;
  return settleAttempt(deps, run, plan, {
    attemptId,
    started: new Date(waiting.created_at_utc),
    execute: async (dir) => {
      for (const { path, file } of completion.evidence) {
        const dest = join(dir, path);
        await mkdir(dirname(dest), { recursive: true });
        await copyFile(file, dest);
      }
      return {};
    },
    before: [event({ type: "attempt.completed", data: { attempt_id: attemptId, late, ...(completion.note === undefined ? {} : { note: completion.note }), result: completion.result } })],
    after: late ? [event({ type: "stoprule.fired", data: { detail, mode: run.workMode.name, rule: "timebox-exceeded", run_id: run.id, subject: plan.task.name } })] : [],
    cap: { result: completion.result, failure: { code: "ERR_MANUAL_FAILED", reason: `${deps.actor.kind}:${deps.actor.id} recorded FAIL${completion.note === undefined ? "" : `: ${completion.note}`}`, retryable: true } },
    processorInfo: `manual:${plan.operator.ref} by ${deps.actor.kind}:${deps.actor.id}`,
    retryChecks: true,
  });
}
