import { constants } from "node:fs";
import { chmod, copyFile, mkdir, open, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { evaluateChecks } from "../checks/evaluate-check.js";
import { summarizeVerdict } from "../checks/summarize-verdict.js";
import { ReceiptSchema, type Receipt } from "../contracts/receipt.js";
import { canonicalJson } from "../core/canonical-json.js";
import { fixedClock, systemClock } from "../core/clock.js";
import { RunledgerError, toRunledgerError, type ErrorCode } from "../core/errors.js";
import { randomIds } from "../core/ids.js";
import type { NewEvent } from "../ledger/ledger-event.js";
import type { OperatorResult } from "../operators/operator-definition.js";
import { runEvent, type AttemptOutcome, type AttemptPlan, type EngineDeps, type RunContext } from "./attempt-context.js";
import { assertFileDigest } from "./assert-file-digest.js";
import { killTaggedProcesses } from "./kill-tagged-processes.js";
import { runCommand } from "./run-command.js";

const TAIL_BYTES = 2048;

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
  const ids = deps.ids ?? randomIds;
  const clock = deps.clock ?? systemClock;
  const attemptId = ids.next();
  const { task, operator } = plan;
  const event = (e: Omit<NewEvent, "project" | "actor">) => runEvent(deps, run, e);
  await deps.ledger.append([
    event({ type: "attempt.started", data: { attempt_id: attemptId, attempt_number: plan.attemptNumber, cache_key: plan.cacheKey, job_id: plan.jobId, operator_ref: operator.ref, run_id: run.id, task: task.name } }),
  ]);
  const dir = attemptDir(deps.workRoot, run.id, task.name, plan.attemptNumber);
  const logs = { stdout: `${dir}.stdout`, stderr: `${dir}.stderr`, pid: `${dir}.pid` };
  const started = clock.now();
  const events: NewEvent[] = [];
  let failure: { code: ErrorCode; reason: string; retryable: boolean } | undefined;
  let returned: OperatorResult | void = undefined;
  const outputs: { path: string; digest: string; size_bytes: number }[] = [];
  let checks: Awaited<ReturnType<typeof evaluateChecks>> = [];
  try {
    await mkdir(join(dir, "outputs"), { recursive: true });
    await placeInputs(deps, dir, plan);
    const executed = await execute(run, plan, attemptId, dir, logs);
    failure = executed.failure;
    returned = executed.returned;
    if (!failure) {
      for (const path of operator.outputs) {
        const file = join(dir, path);
        if (!(await stat(file).catch(() => undefined))?.isFile()) {
          failure = { code: "ERR_ADAPTER_INVOCATION", reason: `declared output ${path} was not written`, retryable: true };
          break;
        }
        const stored = await deps.artifacts.putFile(file);
        outputs.push({ path, digest: stored.digest, size_bytes: stored.size_bytes });
        events.push(event({ type: "artifact.stored", data: { attempt_id: attemptId, digest: stored.digest, name: path, size_bytes: stored.size_bytes } }));
      }
    }
    if (!failure) {
      checks = await evaluateChecks(operator.checks, { dir, timeoutMs: operator.timeoutMs, env: plan.env });
      for (const check of checks) {
        events.push(event({ type: "check.evaluated", data: { attempt_id: attemptId, evidence: JSON.parse(canonicalJson(check.evidence)) as unknown, name: check.name, result: check.result } }));
      }
    }
  } catch (error) {
    const wrapped = toRunledgerError(error);
    if (wrapped.code === "ERR_STORAGE" || wrapped.code === "ERR_INTERNAL") throw await halted(deps, event, attemptId, wrapped);
    failure = { code: wrapped.code, reason: wrapped.message, retryable: false };
  }
  const verdict = failure ? "FAIL" : summarizeVerdict(checks);
  const checkFailed = !failure && verdict === "FAIL";
  const reason = failure?.reason ?? (checkFailed ? `check failed: ${checks.filter((c) => c.result === "FAIL").map((c) => c.name).join(", ")}` : null);
  try {
    const streams = await captureStreams(deps, logs, attemptId, event, events);
    const receipt: Receipt = ReceiptSchema.parse({
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
      config_versions: [],
      outputs_index: outputs,
      processor_info: returned?.processorInfo ?? `${operator.kind}:${operator.ref}`,
      usage: { ...(returned?.usage ?? {}) },
      timestamp_utc: started.toISOString(),
      duration_ms: Math.max(0, clock.now().getTime() - started.getTime()),
      mode: run.runMode,
      enforcement: run.enforcement,
      result: verdict,
      ...streams,
    });
    const receiptRef = await deps.artifacts.put(canonicalJson(receipt), { mediaType: "application/json" });
    const index = await deps.artifacts.put(canonicalJson({ attempt_id: attemptId, outputs }), { mediaType: "application/json" });
    events.push(
      event({ type: "artifact.stored", data: { attempt_id: attemptId, digest: receiptRef.digest, media_type: "application/json", name: "receipt.json", size_bytes: receiptRef.size_bytes } }),
      event({ type: "artifact.stored", data: { attempt_id: attemptId, digest: index.digest, media_type: "application/json", name: "outputs.json", size_bytes: index.size_bytes } }),
    );
    events.push(
      verdict === "FAIL"
        ? event({ type: "attempt.failed", data: { attempt_id: attemptId, error_code: failure?.code ?? "ERR_CHECK_FAILED", reason: reason ?? "failed", receipt_digest: receiptRef.digest, retryable: failure?.retryable ?? false } })
        : event({ type: "attempt.succeeded", data: { attempt_id: attemptId, outputs, receipt_digest: receiptRef.digest, result: verdict } }),
    );
    await deps.ledger.append(events);
  } catch (error) {
    throw await halted(deps, event, attemptId, toRunledgerError(error));
  }
  if (verdict !== "FAIL") await rm(dir, { recursive: true, force: true });
  await rm(logs.stdout, { force: true });
  await rm(logs.stderr, { force: true });
  return { attemptId, result: verdict, outputs: verdict === "FAIL" ? [] : outputs, retryable: failure?.retryable ?? false, reason, errorCode: verdict === "FAIL" ? (failure?.code ?? "ERR_CHECK_FAILED") : null, next: returned?.next ?? null };
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
  for (const input of plan.inputs) {
    const dest = join(dir, "inputs", input.task, input.path.replace(/^outputs\//, ""));
    await mkdir(dirname(dest), { recursive: true });
    const local = await deps.artifacts.localPath(input.digest);
    if (local) {
      await copyFile(local, dest, constants.COPYFILE_FICLONE);
      // The store's local path is not re-verified: the copy the task reads is.
      await assertFileDigest(dest, input.digest);
    } else await deps.artifacts.getToFile(input.digest, dest);
    await chmod(dest, 0o444);
  }
}

async function execute(
  run: RunContext,
  plan: AttemptPlan,
  attemptId: string,
  dir: string,
  logs: { stdout: string; stderr: string; pid: string },
): Promise<{ failure?: { code: ErrorCode; reason: string; retryable: boolean }; returned?: OperatorResult | void }> {
  const { operator, task } = plan;
  if (operator.kind === "command") {
    const env = {
      PATH: process.env["PATH"] ?? "/usr/bin:/bin",
      HOME: dir,
      LANG: "C.UTF-8",
      TMPDIR: dir,
      ...plan.env,
      RUNLEDGER_RUN_ID: run.id,
      RUNLEDGER_TASK: task.name,
      RUNLEDGER_ATTEMPT_ID: attemptId,
      RUNLEDGER_AS_OF: run.asOf.toISOString(),
      ...(run.pipelineDir ? { RUNLEDGER_PIPELINE_DIR: run.pipelineDir } : {}),
    };
    const argv = run.runMode === "mock" && operator.mockCommand ? operator.mockCommand : (operator.command ?? []);
    const outcome = await runCommand({ argv, cwd: dir, env, timeoutMs: operator.timeoutMs, stdoutPath: logs.stdout, stderrPath: logs.stderr, pidPath: logs.pid });
    // The group is gone; what left it (setsid) still carries the attempt's id, and ends here too.
    await killTaggedProcesses(`RUNLEDGER_ATTEMPT_ID=${attemptId}`);
    if (outcome.timedOut) return { failure: { code: "ERR_TIMEOUT", reason: `timed out after ${operator.timeoutMs} ms; process group killed`, retryable: true } };
    if (outcome.spawnError) return { failure: { code: "ERR_ADAPTER_INVOCATION", reason: `could not start: ${outcome.spawnError}`, retryable: false } };
    if (outcome.exitCode !== 0) return { failure: { code: "ERR_ADAPTER_INVOCATION", reason: `exited with ${outcome.exitCode ?? outcome.signal}`, retryable: true } };
    return {};
  }
  const body = run.runMode === "mock" && operator.mock ? operator.mock : operator.run;
  if (!body) return { failure: { code: "ERR_ADAPTER_INVOCATION", reason: `operator ${operator.ref} has no body`, retryable: false } };
  const controller = new AbortController();
  const log = await open(logs.stdout, "w");
  const inputs: Record<string, Record<string, string>> = {};
  for (const input of plan.inputs) (inputs[input.task] ??= {})[input.path] = join(dir, "inputs", input.task, input.path.replace(/^outputs\//, ""));
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new RunledgerError("ERR_TIMEOUT", { detail: `after ${operator.timeoutMs} ms` }));
      }, operator.timeoutMs);
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
          signal: controller.signal,
          log: (message, fields) => void log.write(`${JSON.stringify({ message, ...fields })}\n`),
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
    await log.close();
  }
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
  for (const name of ["stdout", "stderr"] as const) {
    const path = logs[name];
    // A function operator writes no stderr file, and an attempt that failed to start may write neither.
    if (!(await stat(path).catch(() => undefined))) continue;
    const stored = await deps.artifacts.putFile(path);
    events.push(event({ type: "artifact.stored", data: { attempt_id: attemptId, digest: stored.digest, name, size_bytes: stored.size_bytes } }));
    captured[name] = { digest: stored.digest, size_bytes: stored.size_bytes, tail: await tail(path, stored.size_bytes) };
  }
  return captured;
}

async function tail(path: string, size: number): Promise<string> {
  const handle = await open(path, "r");
  try {
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    return buffer.toString("utf8");
  } finally {
    await handle.close();
  }
}
