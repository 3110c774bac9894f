import { chmodSync, constants, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { copyFile, open, rm } from "node:fs/promises";
import { readTail, tailText } from "../checks/read-tail.js";
import { dirname, join } from "node:path";
import { evaluateChecks } from "../checks/evaluate-check.js";
import { summarizeVerdict } from "../checks/summarize-verdict.js";
import { ReceiptSchema, type Receipt } from "../contracts/receipt.js";
import { canonicalJson } from "../core/canonical-json.js";
import { fixedClock, systemClock } from "../core/clock.js";
import { RunledgerError, toRunledgerError, type ErrorCode } from "../core/errors.js";
import { randomIds } from "../core/ids.js";
import { listSome } from "../core/list-some.js";
import type { NewEvent } from "../ledger/ledger-event.js";
import type { OperatorResult } from "../operators/operator-definition.js";
import { runEvent, type AttemptOutcome, type AttemptPlan, type EngineDeps, type RunContext } from "./attempt-context.js";
import { EffectBroker } from "./effect-broker.js";
import { EFFECTS_SOCKET_ENV, EFFECTS_TOKEN_ENV, type EffectsSeat } from "./effects-socket.js";
import { effectiveOutputLimits } from "../pipelines/output-limits.js";
import { ingestOutputs } from "./ingest-outputs.js";
import { assertFileDigest } from "./assert-file-digest.js";
import { runCommand } from "./run-command.js";
import { attemptSandbox, checkSandbox } from "./sandbox.js";
import { placeConfigs } from "../configs/config-files.js";
import { attemptSecrets, NO_SECRETS, type AttemptSecrets } from "../secrets/attempt-secrets.js";
import { redactFile } from "../secrets/redact-file.js";

const TAIL_BYTES = 2048;
const SMALL_LOG_BYTES = 64 * 1024;

/** Where an attempt works: `<workRoot>/<run>/<task>.<n>/`, with its logs and pid file beside it. */
export function attemptDir(workRoot: string, runId: string, task: string, attemptNumber: number): string {
  return join(workRoot, runId, `${task}.${attemptNumber}`);
}

/**
 * Runs one attempt: a fresh directory holding only the passed inputs (read-only) and an empty
 * `outputs/`, the operator under its timebox, the declared outputs into the artifact store, the
 * checks, and a receipt; all of it recorded through the ledger, none of it by operator code.
 */
export async function runAttempt(deps: EngineDeps, run: RunContext, plan: AttemptPlan): Promise<AttemptOutcome> {
  const attemptId = (deps.ids ?? randomIds).next();
  const effects = new EffectBroker(deps, run, { id: attemptId, task: plan.task.name, declared: plan.operator.effects });
  // A command's seat on the run's effects socket is taken before the attempt is recorded as started,
  // so nothing but the attempt's own setup stands between attempt.started and the process.
  const seat = plan.operator.kind === "command" ? await run.effectsSocket.register(effects) : undefined;
  let stopping: Promise<void> | undefined;
  const stopEffects = () => (stopping ??= (async () => {
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
      execute: (dir, logs, secrets, configs) => execute(run, plan, attemptId, dir, logs, secrets, configs, effects, seat).finally(stopEffects),
    });
  } finally {
    await stopEffects();
  }
}

/** The attempt.started event of an attempt of `plan`. */
export function startedEvent(deps: EngineDeps, run: RunContext, plan: AttemptPlan, attemptId: string): NewEvent {
  const data = { attempt_id: attemptId, attempt_number: plan.attemptNumber, cache_key: plan.cacheKey, job_id: plan.jobId, operator_ref: plan.operator.ref, run_id: run.id, task: plan.task.name };
  return runEvent(deps, run, { type: "attempt.started", data });
}

/** A failure of an attempt's work, before its outputs are stored. */
export type AttemptFailure = { readonly code: ErrorCode; readonly reason: string; readonly retryable: boolean };

/** How an attempt that was started does its work, and what its record adds. */
export interface Settling {
  readonly attemptId: string;
  readonly started: Date;
  /** Does the work in the fresh attempt directory, writing the declared outputs under it. */
  execute(dir: string, logs: { stdout: string; stderr: string; pid: string }, secrets: AttemptSecrets, configs: Readonly<Record<string, string>>): Promise<{ failure?: AttemptFailure; returned?: OperatorResult | void }>;
  /** Events recorded first, in the same append as the outcome. */
  readonly before?: readonly NewEvent[];
  /** Events recorded last, in the same append as the outcome. */
  readonly after?: readonly NewEvent[];
  /** A verdict the attempt cannot be better than, with the failure to record when it is FAIL. */
  readonly cap?: { readonly result: "PASS" | "WARN" | "FAIL"; readonly failure: AttemptFailure };
  /** For the receipt, when the operator returns none. */
  readonly processorInfo?: string;
  /** Whether a check failure may be retried. Default false. */
  readonly retryChecks?: boolean;
  /** The attempt's effects client: its calls go into the receipt; a violation fails the attempt. */
  readonly effects?: EffectBroker;
}

/**
 * Finishes an attempt that was started: a fresh directory with the passed inputs and an empty
 * `outputs/`, the work, the declared outputs into the store, the checks, the receipt, and the
 * outcome, recorded in one append.
 */
export async function settleAttempt(deps: EngineDeps, run: RunContext, plan: AttemptPlan, settling: Settling): Promise<AttemptOutcome> {
  const clock = deps.clock ?? systemClock;
  const { attemptId, started } = settling;
  const { task, operator } = plan;
  const event = (e: Omit<NewEvent, "project" | "actor">) => runEvent(deps, run, e);
  const dir = attemptDir(deps.workRoot, run.id, task.name, plan.attemptNumber);
  const logs = { stdout: `${dir}.stdout`, stderr: `${dir}.stderr`, pid: `${dir}.pid` };
  const events: NewEvent[] = [...(settling.before ?? [])];
  let failure: AttemptFailure | undefined;
  let returned: OperatorResult | void = undefined;
  const outputs: { path: string; digest: string; size_bytes: number }[] = [];
  let checks: Awaited<ReturnType<typeof evaluateChecks>> = [];
  // Everything this attempt writes passes the redactor built from the secrets it was given.
  let secrets: AttemptSecrets = NO_SECRETS;
  let violation: { kind: "undeclared_output" | "undeclared_secret"; detail: string } | undefined;
  try {
    await prepareAttemptDir(deps, dir, plan);
    secrets = await attemptSecrets(deps.secrets, operator, run.runMode);
    // Values from any source are masked in everything the ledger records from now on.
    deps.ledger.redactor?.learn?.(Object.values(secrets.env));
    if (settling.effects) settling.effects.redactor = secrets.redactor;
    const configs = await placeConfigs(dir, plan.configs ?? []);
    const executed = await settling.execute(dir, logs, secrets, configs);
    failure = executed.failure;
    returned = executed.returned;
    // A violation or a missing handler fails the attempt even when the operator caught the error.
    const fatal = settling.effects?.fatal;
    if (fatal) failure = { code: fatal.code, reason: fatal.message, retryable: false };
    // Links, undeclared files and sizes over the limits fail the attempt before a byte is stored.
    const ingested = await ingestOutputs(deps.artifacts, { dir, logs, declared: operator.outputs, limits: effectiveOutputLimits(run.limits, deps.limits), failed: failure !== undefined });
    failure ??= ingested.failure;
    // Seed 001 §8.4: an undeclared output, or reading an undeclared secret, is a violation.
    if (failure?.code === "ERR_OUTPUT_UNDECLARED" || failure?.code === "ERR_SECRET_UNDECLARED") {
      violation = { kind: failure.code === "ERR_OUTPUT_UNDECLARED" ? "undeclared_output" : "undeclared_secret", detail: failure.reason };
    }
    for (const stored of ingested.outputs) {
      outputs.push(stored);
      events.push(event({ type: "artifact.stored", data: { attempt_id: attemptId, digest: stored.digest, name: stored.path, size_bytes: stored.size_bytes } }));
    }
    if (!failure) {
      checks = await evaluateChecks(operator.checks, { dir, timeoutMs: operator.timeoutMs, env: plan.env, sandbox: checkSandbox(run, dir) });
      for (const check of checks) {
        events.push(event({ type: "check.evaluated", data: { attempt_id: attemptId, evidence: secrets.redactor.value(JSON.parse(canonicalJson(check.evidence)) as unknown), name: check.name, result: check.result } }));
      }
    }
  } catch (error) {
    const wrapped = toRunledgerError(error);
    if (wrapped.code === "ERR_STORAGE" || wrapped.code === "ERR_INTERNAL") throw await halted(deps, event, attemptId, wrapped);
    failure = { code: wrapped.code, reason: wrapped.message, retryable: false };
  }
  const redactor = secrets.redactor;
  if (failure) failure = { ...failure, reason: redactor.text(failure.reason) };
  if (violation) violation = { ...violation, detail: redactor.text(violation.detail) };
  if (returned) returned = redactor.value(returned);
  for (const path of [logs.stdout, logs.stderr]) await redactFile(path, redactor);
  const checked = summarizeVerdict(checks);
  const capped = settling.cap !== undefined && RANK[settling.cap.result] > RANK[checked] ? settling.cap : undefined;
  if (!failure && capped?.result === "FAIL" && checked !== "FAIL") failure = capped.failure;
  const verdict = failure ? "FAIL" : (capped?.result ?? checked);
  const checkFailed = !failure && verdict === "FAIL";
  const reason = failure?.reason ?? (checkFailed ? `check failed: ${listSome(checks.filter((c) => c.result === "FAIL").map((c) => c.name))}` : null);
  const retryable = failure?.retryable ?? (checkFailed && settling.retryChecks === true);
  try {
    const streams = await captureStreams(deps, logs, attemptId, event, events);
    const receipt: Receipt = ReceiptSchema.parse(redactor.value({
      execution_id: attemptId,
      run_id: run.id,
      task: task.name,
      attempt_id: attemptId,
      project: run.project,
      processor_ref: operator.ref,
      code_digest: plan.codeDigest,
      env_fingerprint: plan.envFingerprint,
      inputs_hash: plan.inputsHash,
      inputs: plan.inputs.map((i) => ({ task: i.task, path: i.path, digest: i.digest })),
      hash_schema: "runledger.inputs.v1",
      config_versions: (plan.configs ?? []).map((config) => config.ref),
      ...(secrets.versions.length > 0 && { secret_versions: [...secrets.versions] }),
      outputs_index: outputs,
      processor_info: returned?.processorInfo ?? settling.processorInfo ?? `${operator.kind}:${operator.ref}`,
      usage: { ...(returned?.usage ?? {}) },
      timestamp_utc: started.toISOString(),
      duration_ms: Math.max(0, clock.now().getTime() - started.getTime()),
      mode: run.runMode,
      enforcement: run.enforcement,
      sandbox: run.sandbox.kind,
      ...(settling.effects !== undefined && settling.effects.calls.length > 0 && { effects: [...settling.effects.calls].sort((a, b) => a.call_number - b.call_number) }),
      result: verdict,
      ...streams,
    }));
    // Stored side by side: their fsyncs overlap.
    const [receiptRef, index] = await Promise.all([
      deps.artifacts.put(canonicalJson(receipt), { mediaType: "application/json" }),
      deps.artifacts.put(canonicalJson({ attempt_id: attemptId, outputs }), { mediaType: "application/json" }),
    ]);
    events.push(
      event({ type: "artifact.stored", data: { attempt_id: attemptId, digest: receiptRef.digest, media_type: "application/json", name: "receipt.json", size_bytes: receiptRef.size_bytes } }),
      event({ type: "artifact.stored", data: { attempt_id: attemptId, digest: index.digest, media_type: "application/json", name: "outputs.json", size_bytes: index.size_bytes } }),
    );
    events.push(
      verdict === "FAIL"
        ? event({ type: "attempt.failed", data: { attempt_id: attemptId, error_code: failure?.code ?? "ERR_CHECK_FAILED", reason: reason ?? "failed", receipt_digest: receiptRef.digest, retryable } })
        : event({ type: "attempt.succeeded", data: { attempt_id: attemptId, outputs, receipt_digest: receiptRef.digest, result: verdict } }),
      ...(settling.after ?? []),
      ...(violation ? [event({ type: "violation.recorded", data: { attempt_id: attemptId, detail: violation.detail, kind: violation.kind, run_id: run.id, task: task.name } })] : []),
    );
    await deps.ledger.append(events);
  } catch (error) {
    throw await halted(deps, event, attemptId, toRunledgerError(error));
  }
  // Removed while the next tasks run; a failed attempt's directory stays for inspection.
  run.background.add(Promise.all([verdict !== "FAIL" && rm(dir, { recursive: true, force: true }), rm(logs.stdout, { force: true }), rm(logs.stderr, { force: true })]));
  return { attemptId, result: verdict, outputs: verdict === "FAIL" ? [] : outputs, retryable, reason, errorCode: verdict === "FAIL" ? (failure?.code ?? "ERR_CHECK_FAILED") : null, next: returned?.next ?? null, violation: settling.effects?.violation ?? violation?.detail ?? null, checks: checks.map((c) => ({ name: c.name, result: c.result })) };
}

const RANK = { PASS: 0, WARN: 1, FAIL: 2 } as const;

/** Makes the attempt's directory afresh: the passed inputs placed read-only, and an empty `outputs/`. */
export async function prepareAttemptDir(deps: EngineDeps, dir: string, plan: AttemptPlan): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "outputs"), { recursive: true });
  await placeInputs(deps, dir, plan);
}

/**
 * Records an attempt that a storage (or internal) failure stopped as failed, without a receipt, if
 * the ledger still takes writes, and returns the error, which halts the run.
 */
async function halted(deps: EngineDeps, event: (e: Omit<NewEvent, "project" | "actor">) => NewEvent, attemptId: string, error: RunledgerError): Promise<RunledgerError> {
  await deps.ledger.append([event({ type: "attempt.failed", data: { attempt_id: attemptId, error_code: error.code, reason: error.message, retryable: false } })]).catch(() => undefined);
  return error;
}

/**
 * Places each passed upstream output at inputs/<task>/<path under outputs/>, read-only, after
 * checking its bytes against the digest (ERR_ARTIFACT_CORRUPT otherwise, before the task starts). A copy
 * (a reflink where the filesystem has them), never a hard link: a task running as root ignores
 * file modes, and must not be able to change the store's blob through its input.
 */
async function placeInputs(deps: EngineDeps, dir: string, plan: AttemptPlan): Promise<void> {
  // All inputs at once: each is a copy and a read, mostly waiting on the disk.
  await Promise.all(
    plan.inputs.map(async (input) => {
      const dest = join(dir, "inputs", input.task, input.path.replace(/^outputs\//, ""));
      mkdirSync(dirname(dest), { recursive: true });
      const local = await deps.artifacts.localPath(input.digest);
      if (local) {
        await copyFile(local, dest, constants.COPYFILE_FICLONE);
        // The store's local path is not re-verified: the copy the task reads is.
        await assertFileDigest(dest, input.digest);
      } else await deps.artifacts.getToFile(input.digest, dest);
      chmodSync(dest, 0o444);
    }),
  );
}

async function execute(
  run: RunContext,
  plan: AttemptPlan,
  attemptId: string,
  dir: string,
  logs: { stdout: string; stderr: string; pid: string },
  secrets: AttemptSecrets,
  configs: Readonly<Record<string, string>>,
  effects: EffectBroker,
  seat: EffectsSeat | undefined,
): Promise<{ failure?: { code: ErrorCode; reason: string; retryable: boolean }; returned?: OperatorResult | void }> {
  const { operator, task } = plan;
  if (operator.kind === "command") {
    const env = {
      PATH: process.env["PATH"] ?? "/usr/bin:/bin",
      HOME: dir,
      LANG: "C.UTF-8",
      TMPDIR: dir,
      ...plan.env,
      ...secrets.env,
      RUNLEDGER_RUN_ID: run.id,
      RUNLEDGER_TASK: task.name,
      RUNLEDGER_ATTEMPT_ID: attemptId,
      RUNLEDGER_AS_OF: run.asOf.toISOString(),
      [EFFECTS_SOCKET_ENV]: seat?.path ?? "",
      [EFFECTS_TOKEN_ENV]: seat?.token ?? "",
      ...(run.pipelineDir ? { RUNLEDGER_PIPELINE_DIR: run.pipelineDir } : {}),
    };
    const argv = run.runMode === "mock" && operator.mockCommand ? operator.mockCommand : (operator.command ?? []);
    // Nothing of the command runs on after it: its sandbox's PID namespace ends with it; unsandboxed,
    // its group and what left it (setsid) carrying the attempt's id are killed.
    const sandbox = attemptSandbox(run, dir, seat?.path);
    const outcome = await runCommand({ argv, cwd: dir, env, timeoutMs: operator.timeoutMs, stdoutPath: logs.stdout, stderrPath: logs.stderr, pidPath: logs.pid, signal: AbortSignal.any([run.halting.signal, effects.stopped]), tag: `RUNLEDGER_ATTEMPT_ID=${attemptId}`, ...(sandbox && { sandbox }) });
    if (outcome.exitCode !== 0 && run.halting.signal.aborted) return { failure: haltedFailure() };
    if (outcome.timedOut) return { failure: { code: "ERR_TIMEOUT", reason: `timed out after ${operator.timeoutMs} ms; process group killed`, retryable: true } };
    if (outcome.spawnError) return { failure: { code: "ERR_ADAPTER_INVOCATION", reason: `could not start: ${outcome.spawnError}`, retryable: false } };
    if (outcome.exitCode !== 0) return { failure: { code: "ERR_ADAPTER_INVOCATION", reason: `exited with ${outcome.exitCode ?? outcome.signal}`, retryable: true } };
    return {};
  }
  const body = run.runMode === "mock" && operator.mock ? operator.mock : operator.run;
  if (!body) return { failure: { code: "ERR_ADAPTER_INVOCATION", reason: `operator ${operator.ref} has no body`, retryable: false } };
  const controller = new AbortController();
  const log = await open(logs.stdout, "w", 0o600);
  const inputs: Record<string, Record<string, string>> = {};
  for (const input of plan.inputs) (inputs[input.task] ??= {})[input.path] = join(dir, "inputs", input.task, input.path.replace(/^outputs\//, ""));
  let timer: NodeJS.Timeout | undefined;
  let stopOnHalt: (() => void) | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new RunledgerError("ERR_TIMEOUT", { detail: `after ${operator.timeoutMs} ms` }));
      }, operator.timeoutMs);
      // A halting run stops the function at once; code that ignores its signal is left behind, as at a timeout.
      stopOnHalt = () => {
        controller.abort();
        reject(new RunledgerError("ERR_RUN_HALTED", { detail: "while the function ran" }));
      };
      if (run.halting.signal.aborted) stopOnHalt();
      else run.halting.signal.addEventListener("abort", stopOnHalt, { once: true });
    });
    const returned = await Promise.race([
      Promise.resolve(
        body.call(operator, {
          params: plan.params,
          asOf: run.asOf,
          clock: fixedClock(run.asOf),
          runId: run.id,
          task: task.name,
          attemptId,
          inputs,
          outputsDir: join(dir, "outputs"),
          env: plan.env,
          effects: { call: effects.call },
          signal: controller.signal,
          log: (message, fields) => void log.write(`${JSON.stringify(secrets.redactor.value({ message, ...fields }))}\n`),
          secrets: secrets.accessor,
          configs,
        }),
      ),
      timeout,
    ]);
    return { returned };
  } catch (error) {
    const wrapped = toRunledgerError(error, "ERR_ADAPTER_INVOCATION");
    return { failure: { code: wrapped.code, reason: wrapped.message, retryable: wrapped.code === "ERR_TIMEOUT" } };
  } finally {
    clearTimeout(timer);
    if (stopOnHalt) run.halting.signal.removeEventListener("abort", stopOnHalt);
    await log.close();
  }
}

/** The failure of an attempt stopped because its run halted. */
function haltedFailure(): AttemptFailure {
  return { code: "ERR_RUN_HALTED", reason: new RunledgerError("ERR_RUN_HALTED", { detail: "its process group was killed" }).message, retryable: false };
}

/** Stores stdout and stderr as artifacts; the receipt keeps their digests and bounded tails. */
async function captureStreams(
  deps: EngineDeps,
  logs: { stdout: string; stderr: string },
  attemptId: string,
  event: (e: Omit<NewEvent, "project" | "actor">) => NewEvent,
  events: NewEvent[],
): Promise<Partial<Pick<Receipt, "stdout" | "stderr">>> {
  const captured: Partial<Pick<Receipt, "stdout" | "stderr">> = {};
  // Both streams side by side, recorded in a fixed order.
  const streams = await Promise.all(
    (["stdout", "stderr"] as const).map(async (name) => {
      const path = logs[name];
      // A function operator writes no stderr file, and an attempt that failed to start may write neither.
      const size = statSync(path, { throwIfNoEntry: false })?.size;
      if (size === undefined) return undefined;
      if (size <= SMALL_LOG_BYTES) {
        // Most logs are small (or empty): read once, stored and tailed from the same bytes.
        const bytes = readFileSync(path);
        return { name, stored: await deps.artifacts.put(bytes), tail: tailText(bytes, TAIL_BYTES) };
      }
      const stored = await deps.artifacts.putFile(path);
      return { name, stored, tail: (await readTail(path, TAIL_BYTES)).text };
    }),
  );
  for (const stream of streams) {
    if (!stream) continue;
    const { name, stored } = stream;
    events.push(event({ type: "artifact.stored", data: { attempt_id: attemptId, digest: stored.digest, name, size_bytes: stored.size_bytes } }));
    captured[name] = { digest: stored.digest, size_bytes: stored.size_bytes, tail: stream.tail };
  }
  return captured;
}
