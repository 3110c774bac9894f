import { constants } from "node:fs";
import { mkdir, open } from "node:fs/promises";
import { dirname, join } from "node:path";
import { systemClock } from "../core/clock.js";
import { RunledgerError } from "../core/errors.js";
import { fileKind } from "../core/file-kind.js";
import { randomIds } from "../core/ids.js";
import { effectiveOutputLimits } from "../pipelines/output-limits.js";
import type { AttemptView } from "../ledger/projections/projection-state.js";
import { runEvent, type AttemptOutcome, type AttemptPlan, type EngineDeps, type RunContext } from "./attempt-context.js";
import { attemptDir, prepareAttemptDir } from "./attempt-dir.js";
import { startedEvent } from "./run-attempt.js";
import { settleAttempt } from "./settle-attempt.js";
import type { Verdict } from "../contracts/verdict.js";

/** What `runledger complete` records for a waiting manual task. */
export interface ManualCompletion {
  readonly task: string;
  /** Each declared output with the file that holds its evidence. */
  readonly evidence: readonly { readonly path: string; readonly file: string }[];
  /** The outcome as its actor states it; checks on the evidence can only make it worse. */
  readonly result: Verdict;
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
    runEvent(deps, run, {
      type: "attempt.suspended",
      data: {
        attempt_id: attemptId,
        by: plan.operator.by ?? "human",
        deadline_utc: deadline.toISOString(),
        outputs: [...plan.operator.outputs],
        steps: [...(plan.operator.steps ?? [])],
      },
    }),
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
export async function completeManualAttempt(
  deps: EngineDeps,
  run: RunContext,
  plan: AttemptPlan,
  waiting: AttemptView,
  completion: ManualCompletion,
): Promise<AttemptOutcome> {
  const now = (deps.clock ?? systemClock).now();
  const late = waiting.manual !== null && now.getTime() > Date.parse(waiting.manual.deadline_utc);
  const attemptId = waiting.attempt_id;
  const event = (e: Parameters<typeof runEvent>[2]) => runEvent(deps, run, e);
  const detail = `task ${plan.task.name} was completed after its timebox (${waiting.manual?.deadline_utc ?? "?"}): write a next pointer, then schedule or re-scope`;
  return settleAttempt(deps, run, plan, {
    attemptId,
    started: new Date(waiting.created_at_utc),
    execute: async ({ dir }) => {
      const { outputBytes } = effectiveOutputLimits(run.limits, deps.limits);
      for (const { path, file } of completion.evidence) {
        const dest = join(dir, path);
        await mkdir(dirname(dest), { recursive: true });
        await copyEvidence(file, dest, outputBytes);
      }
      return {};
    },
    before: [
      event({
        type: "attempt.completed",
        data: { attempt_id: attemptId, late, ...(completion.note === undefined ? {} : { note: completion.note }), result: completion.result },
      }),
    ],
    after: late
      ? [event({ type: "stoprule.fired", data: { detail, mode: run.workMode.name, rule: "timebox-exceeded", run_id: run.id, subject: plan.task.name } })]
      : [],
    cap: {
      result: completion.result,
      failure: {
        code: "ERR_MANUAL_FAILED",
        reason: `${deps.actor.kind}:${deps.actor.id} recorded FAIL${completion.note === undefined ? "" : `: ${completion.note}`}`,
        retryable: true,
      },
    },
    processorInfo: `manual:${plan.operator.ref} by ${deps.actor.kind}:${deps.actor.id}`,
    retryChecks: true,
  });
}

/**
 * Copies an evidence file into the attempt as outputs are taken: the file itself, never through a
 * link (ERR_OUTPUT_SYMLINK), a regular file opened without blocking, and refused by its size before
 * a byte is copied (ERR_OUTPUT_TOO_LARGE); a file that grows past the limit is still cut off.
 */
async function copyEvidence(file: string, dest: string, maxBytes: number): Promise<void> {
  const source = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch((error: unknown) => {
    const link = (error as { code?: unknown }).code === "ELOOP";
    throw link ? new RunledgerError("ERR_OUTPUT_SYMLINK", { detail: `evidence ${file} is a symbolic link; pass the file it points to` }) : error;
  });
  try {
    const info = await source.stat();
    if (!info.isFile()) throw new RunledgerError("ERR_EVIDENCE_MISMATCH", { detail: `evidence ${file} is ${fileKind(info)}, not a regular file` });
    const tooLarge = (size: number) =>
      new RunledgerError("ERR_OUTPUT_TOO_LARGE", {
        detail: `evidence ${file} is ${size.toLocaleString("en-US")} bytes, over the limit of ${maxBytes.toLocaleString("en-US")} an output`,
      });
    if (info.size > maxBytes) throw tooLarge(info.size);
    const target = await open(dest, "wx");
    try {
      let copied = 0;
      for await (const chunk of source.createReadStream({ autoClose: false }) as AsyncIterable<Buffer>) {
        copied += chunk.byteLength;
        if (copied > maxBytes) throw tooLarge(copied);
        await target.write(chunk);
      }
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}
