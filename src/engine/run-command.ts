import { rmSync, writeFileSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { carriesEntry, killProcessGroup, killTaggedProcesses } from "../processes/kill-tagged-processes.mjs";
import { launch, type LaunchSpec } from "../processes/launcher.js";

/** A command as the launcher starts it, with its timebox, and the tag every one of its processes carries. */
export interface CommandSpec extends LaunchSpec {
  readonly timeoutMs: number;
  /** Where to write the process group's id while it runs, so a later engine can stop it. */
  readonly pidPath?: string;
  readonly signal?: AbortSignal;
  readonly tag: string;
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
 * Runs one command as a real subprocess in its own process group (started by the launcher), stdin
 * closed, stdout and stderr to files. At the timebox, or when `signal` aborts, the whole group is
 * killed: orphans included. When it resolves, nothing of the command runs: not in its group, nor
 * outside it carrying its tag.
 */
export async function runCommand(spec: CommandSpec): Promise<CommandOutcome> {
  const started = performance.now();
  const child = await launch(spec);
  if (spec.pidPath && child.pid !== undefined) writeFileSync(spec.pidPath, String(child.pid));
  let timedOut = false;
  const killGroup = () => {
    if (child.pid !== undefined) killProcessGroup(child.pid);
  };
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup();
  }, spec.timeoutMs);
  spec.signal?.addEventListener("abort", killGroup, { once: true });
  const { leftoversEnded, ...outcome } = await child.exit;
  clearTimeout(timer);
  spec.signal?.removeEventListener("abort", killGroup);
  if (!leftoversEnded) {
    // The launcher was lost: what the command left running ends here, in its group and outside it.
    killGroup();
    await killTaggedProcesses(spec.tag);
  }
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
  if (!carriesEntry(pid, `RUNLEDGER_ATTEMPT_ID=${attemptId}`) || !killProcessGroup(pid)) return false;
  await rm(pidPath, { force: true });
  return true;
}
