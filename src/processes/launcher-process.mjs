// @ts-check
// Starts commands for an engine, which talks to it over the IPC channel (see launcher.ts). Plain
// JavaScript, so it loads the same from src/ and dist/, and small: a process forks in time
// proportional to its memory, and this one holds little, while an engine may hold a lot.
import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { killProcessGroup, killTaggedProcesses } from "./kill-tagged-processes.mjs";

/**
 * A command to start, as launcher.ts sends it (JSON over IPC: an absent tag arrives as no key).
 * @typedef {{ id: number, argv: string[], cwd: string, env: Record<string, string>, stdoutPath: string, stderrPath: string, tag?: string }} LaunchRequest
 */
/** @typedef {{ pid?: number, exitCode?: number | null, signal?: NodeJS.Signals | null, spawnError?: string, leftoversEnded?: boolean }} LaunchReply */

process.on("message", (/** @type {LaunchRequest} */ { id, argv, cwd, env, stdoutPath, stderrPath, tag }) => {
  // Forked with an IPC channel (launcher.ts), so `send` is there while connected.
  const reply = (/** @type {LaunchReply} */ message) => process.connected && process.send?.({ id, ...message });
  let settled = false;
  const settle = (/** @type {LaunchReply} */ message) => {
    if (settled) return;
    settled = true;
    reply(message);
  };
  /** @type {number[]} */
  const descriptors = [];
  try {
    // Owner-only: a running command's raw output may hold a secret until it is redacted and stored.
    descriptors.push(openSync(stdoutPath, "w", 0o600), openSync(stderrPath, "w", 0o600));
    const child = spawn(/** @type {string} */ (argv[0]), argv.slice(1), { cwd, env, stdio: ["ignore", ...descriptors], detached: true });
    child.once("error", (error) => settle({ spawnError: error.message, leftoversEnded: true }));
    child.once("close", (exitCode, signal) => {
      // What the command left behind ends before its exit is reported: in its group, and, carrying
      // its tag (if it has one), outside it (a process that moved to a new session).
      if (child.pid !== undefined) killProcessGroup(child.pid);
      void (tag ? killTaggedProcesses(tag) : Promise.resolve(0)).then(
        () => settle({ exitCode, signal, leftoversEnded: true }),
        () => settle({ exitCode, signal, leftoversEnded: false }),
      );
    });
    if (child.pid !== undefined) reply({ pid: child.pid });
  } catch (error) {
    settle({ spawnError: error instanceof Error ? error.message : String(error), leftoversEnded: true });
  } finally {
    // The child has its own copies (or never started).
    for (const fd of descriptors) closeSync(fd);
  }
});

// The engine is gone: its commands run on in their own process groups, as a crashed engine's do.
process.on("disconnect", () => process.exit(0));
