import { open } from "node:fs/promises";
import { join } from "node:path";
import { fixedClock } from "../core/clock.js";
import { RunledgerError, toRunledgerError } from "../core/errors.js";
import type { AttemptPlan, RunContext } from "./attempt-context.js";
import { inputPath } from "./attempt-dir.js";
import type { AttemptAtWork, ExecutedWork } from "./attempt-settling.js";

/**
 * Runs a function operator's attempt in this process: its body (the mock's in a mock run) with the
 * attempt's inputs, outputs directory, env, secrets and configs, under its timebox. A halting run
 * stops the function at once; code that ignores its signal is left behind, as at a timeout.
 */
export async function executeFunction(run: RunContext, plan: AttemptPlan, attempt: AttemptAtWork): Promise<ExecutedWork> {
  const { operator, task } = plan;
  const { dir, logs, secrets, attemptId } = attempt;
  const body = run.runMode === "mock" && operator.mock ? operator.mock : operator.run;
  if (!body) return { failure: { code: "ERR_ADAPTER_INVOCATION", reason: `operator ${operator.ref} has no body`, retryable: false } };
  const controller = new AbortController();
  const log = await open(logs.stdout, "w", 0o600);
  const inputs: Record<string, Record<string, string>> = {};
  for (const input of plan.inputs) (inputs[input.task] ??= {})[input.path] = inputPath(dir, input);
  let timer: NodeJS.Timeout | undefined;
  let stopOnHalt: (() => void) | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new RunledgerError("ERR_TIMEOUT", { detail: `after ${operator.timeoutMs} ms` }));
      }, operator.timeoutMs);
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
          effects: { call: attempt.effects.call },
          signal: controller.signal,
          log: (message, fields) => void log.write(`${JSON.stringify(secrets.redactor.value({ message, ...fields }))}\n`),
          secrets: secrets.accessor,
          configs: attempt.configs,
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
