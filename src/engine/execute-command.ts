import { RunledgerError } from "../core/errors.js";
import type { AttemptPlan, RunContext } from "./attempt-context.js";
import type { AttemptFailure } from "./attempt-verdict.js";
import type { AttemptAtWork, ExecutedWork } from "./attempt-settling.js";
import { EFFECTS_SOCKET_ENV, EFFECTS_TOKEN_ENV } from "./effects-socket.js";
import { runCommand } from "./run-command.js";
import { attemptSandbox } from "./sandbox.js";

/**
 * Runs a command operator's attempt: its argv (the mock's in a mock run) through the launcher in
 * the attempt's directory, under its timebox, with only the env it declares, its secrets and the
 * run's variables. Nothing of the command runs on after it: its sandbox's PID namespace ends with
 * it; unsandboxed, its group and what left it (setsid) carrying the attempt's id are killed.
 */
export async function executeCommand(run: RunContext, plan: AttemptPlan, attempt: AttemptAtWork): Promise<ExecutedWork> {
  const { operator, task } = plan;
  const { dir, logs, seat, attemptId } = attempt;
  const env = {
    PATH: process.env["PATH"] ?? "/usr/bin:/bin",
    HOME: dir,
    LANG: "C.UTF-8",
    TMPDIR: dir,
    ...plan.env,
    ...attempt.secrets.env,
    RUNLEDGER_RUN_ID: run.id,
    RUNLEDGER_TASK: task.name,
    RUNLEDGER_ATTEMPT_ID: attemptId,
    RUNLEDGER_AS_OF: run.asOf.toISOString(),
    [EFFECTS_SOCKET_ENV]: seat?.path ?? "",
    [EFFECTS_TOKEN_ENV]: seat?.token ?? "",
    ...(run.pipelineDir ? { RUNLEDGER_PIPELINE_DIR: run.pipelineDir } : {}),
  };
  const argv = run.runMode === "mock" && operator.mockCommand ? operator.mockCommand : (operator.command ?? []);
  const sandbox = attemptSandbox(run, dir, seat?.path);
  const outcome = await runCommand({
    argv,
    cwd: dir,
    env,
    timeoutMs: operator.timeoutMs,
    stdoutPath: logs.stdout,
    stderrPath: logs.stderr,
    pidPath: logs.pid,
    signal: AbortSignal.any([run.halting.signal, attempt.effects.stopped]),
    tag: `RUNLEDGER_ATTEMPT_ID=${attemptId}`,
    ...(sandbox && { sandbox }),
  });
  if (outcome.exitCode !== 0 && run.halting.signal.aborted) return { failure: haltedFailure() };
  if (outcome.timedOut) return { failure: { code: "ERR_TIMEOUT", reason: `timed out after ${operator.timeoutMs} ms; process group killed`, retryable: true } };
  if (outcome.spawnError) return { failure: { code: "ERR_ADAPTER_INVOCATION", reason: `could not start: ${outcome.spawnError}`, retryable: false } };
  if (outcome.exitCode !== 0)
    return { failure: { code: "ERR_ADAPTER_INVOCATION", reason: `exited with ${outcome.exitCode ?? outcome.signal}`, retryable: true } };
  return {};
}

/** The failure of an attempt stopped because its run halted. */
function haltedFailure(): AttemptFailure {
  return { code: "ERR_RUN_HALTED", reason: new RunledgerError("ERR_RUN_HALTED", { detail: "its process group was killed" }).message, retryable: false };
}
