import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { readFile, rm, writeFile } from "node:fs/promises";

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
  const stdout = createWriteStream(spec.stdoutPath);
  const stderr = createWriteStream(spec.stderrPath);
  await Promise.all([once(stdout, "open"), once(stderr, "open")]);
  const child = spawn(program as string, args, { cwd: spec.cwd, env: { ...spec.env }, stdio: ["ignore", stdout, stderr], detached: true });
  // Listen before awaiting anything: a quick command can exit while the pid file is written.
  const settled = new Promise<Omit<CommandOutcome, "durationMs" | "timedOut">>((resolve) => {
    child.once("error", (error) => resolve({ exitCode: null, signal: null, spawnError: error.message }));
    child.once("close", (exitCode, signal) => resolve({ exitCode, signal }));
  });
  if (spec.pidPath && child.pid !== undefined) await writeFile(spec.pidPath, String(child.pid));
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
  stdout.end();
  stderr.end();
  await Promise.all([once(stdout, "close"), once(stderr, "close")]);
  if (spec.pidPath) await rm(spec.pidPath, { force: true });
  return { ...outcome, timedOut, durationMs: Math.round(performance.now() - started) };
}

/**
 * Kills the process group an earlier engine left running for an attempt, if its pid file names a
 * live process whose environment carries that attempt's id (so a reused pid is never hit).
 */
export async function stopLeftoverGroup(pidPath: string, attemptId: string): Promise<boolean> {
  const pid = Number(await readFile(pidPath, "utf8").catch(() => ""));
  if (!Number.isInteger(pid) || pid <= 0) return false;
  const environ = await readFile(`/proc/${pid}/environ`, "utf8").catch(() => "");
  if (!environ.split("\0").includes(`RUNLEDGER_ATTEMPT_ID=${attemptId}`)) return false;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    return false;
  }
  await rm(pidPath, { force: true });
  return true;
}
