import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { once } from "node:events";

export interface CommandSpec {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly stdoutPath: string;
  readonly stderrPath: string;
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
  const outcome = await new Promise<Omit<CommandOutcome, "durationMs" | "timedOut">>((resolve) => {
    child.once("error", (error) => resolve({ exitCode: null, signal: null, spawnError: error.message }));
    child.once("close", (exitCode, signal) => resolve({ exitCode, signal }));
  });
  clearTimeout(timer);
  spec.signal?.removeEventListener("abort", killGroup);
  // Whatever the command left running in its group ends with it.
  killGroup();
  stdout.end();
  stderr.end();
  await Promise.all([once(stdout, "close"), once(stderr, "close")]);
  return { ...outcome, timedOut, durationMs: Math.round(performance.now() - started) };
}
