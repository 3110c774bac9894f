import { rm } from "node:fs/promises";
import { evaluateChecks } from "../checks/evaluate-check.js";
import { canonicalJson } from "../core/canonical-json.js";
import { toRunledgerError, type RunledgerError } from "../core/errors.js";
import { effectiveOutputLimits } from "../pipelines/output-limits.js";
import { placeConfigs } from "../configs/config-files.js";
import { attemptSecrets, NO_SECRETS } from "../secrets/attempt-secrets.js";
import { redactFile } from "../secrets/redact-file.js";
import { runEvent, type AttemptOutcome, type AttemptPlan, type EngineDeps, type RunContext } from "./attempt-context.js";
import { attemptDir, attemptLogs, prepareAttemptDir } from "./attempt-dir.js";
import { storeReceipt } from "./attempt-receipt.js";
import { decideVerdict, type AttemptVerdict } from "./attempt-verdict.js";
import type { Settling, SettlingAttempt, WorkDone } from "./attempt-settling.js";
import { ingestOutputs } from "./ingest-outputs.js";
import { checkSandbox } from "./sandbox.js";

/**
 * Finishes an attempt that was started: a fresh directory with the passed inputs and an empty
 * `outputs/`, the work, the declared outputs into the store, the checks, the receipt, and the
 * outcome, recorded in one append.
 */
export async function settleAttempt(deps: EngineDeps, run: RunContext, plan: AttemptPlan, settling: Settling): Promise<AttemptOutcome> {
  const dir = attemptDir(deps.workRoot, run.id, plan.task.name, plan.attemptNumber);
  const attempt: SettlingAttempt = {
    deps,
    run,
    plan,
    settling,
    dir,
    logs: attemptLogs(dir),
    events: [...(settling.before ?? [])],
    event: (e) => runEvent(deps, run, e),
  };
  const done = await doWork(attempt);
  await redact(attempt, done);
  const verdict = decideVerdict(done.failure, done.checks, settling);
  try {
    await record(attempt, done, verdict);
  } catch (error) {
    throw await halted(attempt, toRunledgerError(error));
  }
  // Removed while the next tasks run; a failed attempt's directory stays for inspection.
  run.background.add(
    Promise.all([
      verdict.verdict !== "FAIL" && rm(dir, { recursive: true, force: true }),
      rm(attempt.logs.stdout, { force: true }),
      rm(attempt.logs.stderr, { force: true }),
    ]),
  );
  return outcomeOf(attempt, done, verdict);
}

/** Prepares the directory, runs the work, takes the outputs and runs the checks; a failure of any is the attempt's, a storage failure halts the run. */
async function doWork(attempt: SettlingAttempt): Promise<WorkDone> {
  const done: WorkDone = { failure: undefined, returned: undefined, outputs: [], checks: [], secrets: NO_SECRETS, violation: undefined };
  try {
    await runWork(attempt, done);
    await takeOutputs(attempt, done);
    if (!done.failure) await runChecks(attempt, done);
  } catch (error) {
    const wrapped = toRunledgerError(error);
    if (wrapped.code === "ERR_STORAGE" || wrapped.code === "ERR_INTERNAL") throw await halted(attempt, wrapped);
    done.failure = { code: wrapped.code, reason: wrapped.message, retryable: false };
  }
  return done;
}

/** The directory, the secrets and configs placed, and the work itself; a fatal effects error overrides what the work says. */
async function runWork(attempt: SettlingAttempt, done: WorkDone): Promise<void> {
  const { deps, run, plan, settling, dir, logs } = attempt;
  await prepareAttemptDir(deps, dir, plan);
  done.secrets = await attemptSecrets(deps.secrets, plan.operator, run.runMode);
  // Values from any source are masked in everything the ledger records from now on.
  deps.ledger.redactor?.learn?.(Object.values(done.secrets.env));
  if (settling.effects) settling.effects.redactor = done.secrets.redactor;
  const configs = await placeConfigs(dir, plan.configs ?? []);
  const executed = await settling.execute({ dir, logs, secrets: done.secrets, configs });
  done.failure = executed.failure;
  done.returned = executed.returned;
  // A violation or a missing handler fails the attempt even when the operator caught the error.
  const fatal = settling.effects?.fatal;
  if (fatal) done.failure = { code: fatal.code, reason: fatal.message, retryable: false };
}

/** Links, undeclared files and sizes over the limits fail the attempt before a byte is stored. */
async function takeOutputs(attempt: SettlingAttempt, done: WorkDone): Promise<void> {
  const { deps, run, plan, dir, logs } = attempt;
  const ingested = await ingestOutputs(deps.artifacts, {
    dir,
    logs,
    declared: plan.operator.outputs,
    limits: effectiveOutputLimits(run.limits, deps.limits),
    failed: done.failure !== undefined,
  });
  done.failure ??= ingested.failure;
  const failure = done.failure;
  // Seed 001 §8.4: an undeclared output, or reading an undeclared secret, is a violation.
  if (failure?.code === "ERR_OUTPUT_UNDECLARED" || failure?.code === "ERR_SECRET_UNDECLARED") {
    done.violation = { kind: failure.code === "ERR_OUTPUT_UNDECLARED" ? "undeclared_output" : "undeclared_secret", detail: failure.reason };
  }
  for (const stored of ingested.outputs) {
    done.outputs.push(stored);
    attempt.events.push(
      attempt.event({
        type: "artifact.stored",
        data: { attempt_id: attempt.settling.attemptId, digest: stored.digest, name: stored.path, size_bytes: stored.size_bytes },
      }),
    );
  }
}

async function runChecks(attempt: SettlingAttempt, done: WorkDone): Promise<void> {
  const { run, plan, dir, settling } = attempt;
  done.checks = await evaluateChecks(plan.operator.checks, { dir, timeoutMs: plan.operator.timeoutMs, env: plan.env, sandbox: checkSandbox(run, dir) });
  for (const check of done.checks) {
    attempt.events.push(
      attempt.event({
        type: "check.evaluated",
        data: {
          attempt_id: settling.attemptId,
          evidence: done.secrets.redactor.value(JSON.parse(canonicalJson(check.evidence)) as unknown),
          name: check.name,
          result: check.result,
        },
      }),
    );
  }
}

/** Masks the attempt's secrets in what it recorded: the failure, the violation, what the operator returned, and its logs. */
async function redact(attempt: SettlingAttempt, done: WorkDone): Promise<void> {
  const redactor = done.secrets.redactor;
  if (done.failure) done.failure = { ...done.failure, reason: redactor.text(done.failure.reason) };
  if (done.violation) done.violation = { ...done.violation, detail: redactor.text(done.violation.detail) };
  if (done.returned) done.returned = redactor.value(done.returned);
  for (const path of [attempt.logs.stdout, attempt.logs.stderr]) await redactFile(path, redactor);
}

/** Stores the receipt, and records the attempt's end with everything it stored, in one append. */
async function record(attempt: SettlingAttempt, done: WorkDone, verdict: AttemptVerdict): Promise<void> {
  const { run, plan, settling, event, events } = attempt;
  const attemptId = settling.attemptId;
  const receiptDigest = await storeReceipt(attempt, done, verdict.verdict);
  events.push(
    verdict.verdict === "FAIL"
      ? event({
          type: "attempt.failed",
          data: {
            attempt_id: attemptId,
            error_code: verdict.failure?.code ?? "ERR_CHECK_FAILED",
            reason: verdict.reason ?? "failed",
            receipt_digest: receiptDigest,
            retryable: verdict.retryable,
          },
        })
      : event({ type: "attempt.succeeded", data: { attempt_id: attemptId, outputs: done.outputs, receipt_digest: receiptDigest, result: verdict.verdict } }),
    ...(settling.after ?? []),
    ...(done.violation
      ? [
          event({
            type: "violation.recorded",
            data: { attempt_id: attemptId, detail: done.violation.detail, kind: done.violation.kind, run_id: run.id, task: plan.task.name },
          }),
        ]
      : []),
  );
  await attempt.deps.ledger.append(events);
}

function outcomeOf(attempt: SettlingAttempt, done: WorkDone, decided: AttemptVerdict): AttemptOutcome {
  const { verdict, failure, reason, retryable } = decided;
  const failed = verdict === "FAIL";
  return {
    attemptId: attempt.settling.attemptId,
    result: verdict,
    outputs: failed ? [] : done.outputs,
    retryable,
    reason,
    errorCode: failed ? (failure?.code ?? "ERR_CHECK_FAILED") : null,
    next: done.returned?.next ?? null,
    violation: attempt.settling.effects?.violation ?? done.violation?.detail ?? null,
    checks: done.checks.map((c) => ({ name: c.name, result: c.result })),
  };
}

/**
 * Records an attempt that a storage (or internal) failure stopped as failed, without a receipt, if
 * the ledger still takes writes, and returns the error, which halts the run.
 */
async function halted(attempt: SettlingAttempt, error: RunledgerError): Promise<RunledgerError> {
  await attempt.deps.ledger
    .append([
      attempt.event({
        type: "attempt.failed",
        data: { attempt_id: attempt.settling.attemptId, error_code: error.code, reason: error.message, retryable: false },
      }),
    ])
    .catch(() => undefined);
  return error;
}
