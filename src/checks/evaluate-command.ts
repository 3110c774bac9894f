import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { killProcessGroup } from "../processes/kill-tagged-processes.mjs";
import { launch } from "../processes/launcher.js";
import type { SandboxSpec } from "../processes/sandbox.js";
import type { CheckFinding } from "./check-result.js";
import type { CheckDeadline } from "./check-deadline.js";
import { readTail } from "./read-tail.js";

const BASE_ENV = ["PATH", "HOME", "LANG", "TMPDIR"] as const;

/**
 * Runs `argv` as a subprocess in its own process group (started by the launcher), with cwd `dir`,
 * stdin closed and an environment of PATH, HOME, LANG and TMPDIR from this process plus `env`.
 * Exit 0 is PASS, an exit code in `warnExit` is WARN, anything else (another code, a signal, a
 * spawn failure) is FAIL. When the deadline aborts, the whole process group is killed with SIGKILL
 * and the result is FAIL with the deadline's evidence; the group is also killed once the command
 * exits, so nothing it started outlives the check. With `sandbox`, it runs in it (see
 * processes/sandbox.ts), and nothing it started outlives it either, whatever it did. Evidence: `command`, `exitCode`, `signal`,
 * `durationMs`, `stdoutTail` and `stderrTail` (last 2 KiB each), `stdoutBytes`, `stderrBytes`.
 * Never rejects.
 */
export async function evaluateCommand(
  argv: readonly string[],
  warnExit: readonly number[],
  dir: string,
  env: Readonly<Record<string, string>> | undefined,
  deadline: CheckDeadline,
  sandbox?: SandboxSpec,
): Promise<CheckFinding> {
  const started = performance.now();
  // stdout and stderr go to files, read back as tails: nothing that outlives the command can hold them open.
  const logs = mkdtempSync(join(tmpdir(), "runledger-check-"));
  try {
    const paths = { stdout: join(logs, "stdout"), stderr: join(logs, "stderr") };
    // In a sandbox the file system is read-only but for this scratch directory, the check's TMPDIR.
    const scratch = sandbox && join(logs, "scratch");
    if (scratch) mkdirSync(scratch);
    const sandboxed = sandbox && scratch ? { sandbox: { ...sandbox, writable: [...sandbox.writable, scratch] } } : {};
    const child = await launch({ argv, cwd: dir, env: commandEnv(env, scratch), stdoutPath: paths.stdout, stderrPath: paths.stderr, ...sandboxed });
    let aborted = false;
    const killGroup = (): void => {
      if (child.pid !== undefined) killProcessGroup(child.pid);
    };
    const onAbort = (): void => {
      aborted = true;
      killGroup();
    };
    if (deadline.signal.aborted) onAbort();
    else deadline.signal.addEventListener("abort", onAbort, { once: true });
    const exit = await child.exit;
    deadline.signal.removeEventListener("abort", onAbort);
    // The launcher kills the group once the command exits; a lost launcher leaves that to us.
    if (!exit.leftoversEnded) killGroup();
    const [stdout, stderr] = await Promise.all([paths.stdout, paths.stderr].map((path) => readTail(path).catch(() => ({ text: "", totalBytes: 0 }))));
    const facts = {
      command: [...argv],
      exitCode: exit.exitCode,
      signal: exit.signal,
      durationMs: Math.round(performance.now() - started),
      stdoutTail: stdout?.text ?? "",
      stderrTail: stderr?.text ?? "",
      stdoutBytes: stdout?.totalBytes ?? 0,
      stderrBytes: stderr?.totalBytes ?? 0,
    };
    if (aborted) return { result: "FAIL", evidence: { ...facts, ...deadline.abortEvidence() } };
    if (exit.spawnError !== undefined) return { result: "FAIL", evidence: { ...facts, reason: "spawn failed", message: exit.spawnError } };
    if (exit.exitCode === 0) return { result: "PASS", evidence: facts };
    if (exit.exitCode !== null && warnExit.includes(exit.exitCode)) return { result: "WARN", evidence: facts };
    return { result: "FAIL", evidence: { ...facts, reason: exit.signal ? `killed by ${exit.signal}` : `exit code ${String(exit.exitCode)}` } };
  } finally {
    rmSync(logs, { recursive: true, force: true });
  }
}

function commandEnv(extra: Readonly<Record<string, string>> | undefined, scratch: string | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of BASE_ENV) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  if (scratch) env["TMPDIR"] = scratch;
  return { ...env, ...extra };
}
