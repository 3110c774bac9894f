import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { performance } from "node:perf_hooks";
import type { CheckFinding } from "./check-result.js";
import type { CheckDeadline } from "./check-deadline.js";
import { TailBuffer } from "./tail-buffer.js";

const BASE_ENV = ["PATH", "HOME", "LANG", "TMPDIR"] as const;
const TAIL_BYTES = 2048;
// After the process exits, its pipes may be held open by something that escaped the group.
const CLOSE_GRACE_MS = 1000;

/**
 * Runs `argv` as a subprocess in its own process group, with cwd `dir`, stdin ignored and an
 * environment of PATH, HOME, LANG and TMPDIR from this process plus `env`. Exit 0 is PASS, an exit
 * code in `warnExit` is WARN, anything else (another code, a signal, a spawn failure) is FAIL. When
 * the deadline aborts, the whole process group is killed with SIGKILL and the result is FAIL with the
 * deadline's evidence; the group is also killed once the command exits, so nothing it started
 * outlives the check. Evidence: `command`, `exitCode`, `signal`, `durationMs`, `stdoutTail` and
 * `stderrTail` (last 2 KiB each), `stdoutBytes`, `stderrBytes`. Never rejects.
 */
export function evaluateCommand(
  argv: readonly string[],
  warnExit: readonly number[],
  dir: string,
  env: Readonly<Record<string, string>> | undefined,
  deadline: CheckDeadline,
): Promise<CheckFinding> {
  return new Promise((resolve) => {
    const started = performance.now();
    const stdout = new TailBuffer(TAIL_BYTES);
    const stderr = new TailBuffer(TAIL_BYTES);
    let aborted = false;
    let settled = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let grace: NodeJS.Timeout | undefined;
    let child: ChildProcess;

    const evidence = (): Record<string, unknown> => ({
      command: [...argv],
      exitCode: exit?.code ?? null,
      signal: exit?.signal ?? null,
      durationMs: Math.round(performance.now() - started),
      stdoutTail: stdout.text(),
      stderrTail: stderr.text(),
      stdoutBytes: stdout.totalBytes,
      stderrBytes: stderr.totalBytes,
    });
    const finish = (finding: CheckFinding): void => {
      if (settled) return;
      settled = true;
      if (grace !== undefined) clearTimeout(grace);
      deadline.signal.removeEventListener("abort", onAbort);
      resolve(finding);
    };
    const killGroup = (): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // ESRCH: the group is already gone.
      }
    };
    const onAbort = (): void => {
      aborted = true;
      killGroup();
    };

    try {
      child = spawn(argv[0] as string, argv.slice(1), {
        cwd: dir,
        env: commandEnv(env),
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      });
    } catch (error) {
      finish({ result: "FAIL", evidence: { ...evidence(), reason: "spawn failed", message: (error as Error).message } });
      return;
    }
    child.stdout?.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.on("error", (error) => {
      if (child.pid === undefined) finish({ result: "FAIL", evidence: { ...evidence(), reason: "spawn failed", message: error.message } });
    });
    child.on("exit", (code, signal) => {
      exit = { code, signal };
      killGroup();
      grace = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
      }, CLOSE_GRACE_MS);
    });
    child.on("close", () => {
      const facts = evidence();
      if (aborted) finish({ result: "FAIL", evidence: { ...facts, ...deadline.abortEvidence() } });
      else if (exit?.code === 0) finish({ result: "PASS", evidence: facts });
      else if (typeof exit?.code === "number" && warnExit.includes(exit.code)) finish({ result: "WARN", evidence: facts });
      else finish({ result: "FAIL", evidence: { ...facts, reason: exit?.signal ? `killed by ${exit.signal}` : `exit code ${String(exit?.code)}` } });
    });
    if (deadline.signal.aborted) onAbort();
    else deadline.signal.addEventListener("abort", onAbort, { once: true });
  });
}

function commandEnv(extra: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of BASE_ENV) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return { ...env, ...extra };
}
