import { spawn } from "node:child_process";
import { closeSync, openSync, rmSync, writeFileSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { carriesEntry } from "./kill-tagged-processes.js";

export interface CommandSpec {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly stdoutPath: string;
  readonly stderrPath: string;
  /** Where to write the process group's id while it runs, so a later engine can stop it. */
  readonly pidPath?: string;
  readonly signal?: AbortSignal;
}

export interface CommandOutcome {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  readonly durationMs: number;
  /** Set when the process could not be started at all (e.g. ENOENT). */
  readonly spawnError?: string;
}

/**
 * Runs one command as a real subprocess in its own process group, stdin closed, stdout and stderr
 * to files. At the timebox, or when `signal` aborts, the whole group is killed: orphans included.
 */
export async function runCommand(spec: CommandSpec): Promise<CommandOutcome> {
  const started = performance.now();
  const [program, ...args] = spec.argv;
  // Plain descriptors, opened and closed synchronously: the child writes to the files itself, and a
  // thread-pool round trip for each open and close cost more than the calls.
  const stdout = openSync(spec.stdoutPath, "w");
  let stderr: number;
  try {
    stderr = openSync(spec.stderrPath, "w");
  } catch (error) {
    closeSync(stdout);
    throw error;
  }
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn(program as string, args, { cwd: spec.cwd, env: { ...spec.env }, stdio: ["ignore", stdout, stderr], detached: true });
  } finally {
    // The child has its own copies (or never started).
    closeSync(stdout);
    closeSync(stderr);
  }
  // Listen before awaiting anything: a quick command can exit while the pid file is written.
  const settled = new Promise<Omit<CommandOutcome, "durationMs" | "timedOut">>((resolve) => {
    child.once("error", (error) => resolve({ exitCode: null, signal: null, spawnError: error.message }));
    child.once("close", (exitCode, signal) => resolve({ exitCode, signal }));
  });
  if (spec.pidPath && child.pid !== undefined) writeFileSync(spec.pidPath, String(child.pid));
  let timedOut = false;
  const killGroup = () => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // The group is already gone.
    }
  };
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup();
  }, spec.timeoutMs);
  spec.signal?.addEventListener("abort", killGroup, { once: true });
  const outcome = await settled;
  clearTimeout(timer);
  spec.signal?.removeEventListener("abort", killGroup);
  // Whatever the command left running in its group ends with it.
  killGroup();
  if (spec.pidPath) rmSync(spec.pidPath, { force: true });
  return { ...outcome, timedOut, durationMs: Math.round(performance.now() - started) };
}

/**
 * Kills the process group an earlier engine left running for an attempt, if its pid file names a
 * live process whose environment carries that attempt's id (so a reused pid is never hit).
 */
export async function stopLeftoverGroup(pidPath: string, attemptId: string): Promise<boolean> {
  const pid = Number(await readFile(pidPath, "utf8").catch(() => ""));
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (!carriesEntry(pid, `RUNLEDGER_ATTEMPT_ID=${attemptId}`)) return false;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    return false;
  }
  await rm(pidPath, { force: true });
  return true;
}
