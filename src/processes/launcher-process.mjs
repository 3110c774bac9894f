// @ts-check
// Starts commands for an engine, which talks to it over the IPC channel (see launcher.ts). Plain
// JavaScript, so it loads the same from src/ and dist/, and small: a process forks in time
// proportional to its memory, and this one holds little, while an engine may hold a lot.
import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { killProcessGroup, killTaggedProcesses, waitForExit } from "./kill-tagged-processes.mjs";

/**
 * A command to start, as launcher.ts sends it (JSON over IPC: an absent tag arrives as no key).
 * `infoFd`: the command is sandboxed, and bubblewrap writes its init's pid as JSON on that descriptor.
 * @typedef {{ id: number, argv: string[], cwd: string, env: Record<string, string>, stdoutPath: string, stderrPath: string, tag?: string, infoFd?: number }} LaunchRequest
 */
/** @typedef {{ pid?: number, exitCode?: number | null, signal?: NodeJS.Signals | null, spawnError?: string, leftoversEnded?: boolean }} LaunchReply */

process.on("message", (/** @type {LaunchRequest} */ { id, argv, cwd, env, stdoutPath, stderrPath, tag, infoFd }) => {
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
    /** @type {("ignore" | "pipe" | number)[]} */
    const stdio = ["ignore", ...descriptors];
    if (infoFd !== undefined) {
      while (stdio.length < infoFd) stdio.push("ignore");
      stdio.push("pipe");
    }
    const child = spawn(/** @type {string} */ (argv[0]), argv.slice(1), { cwd, env, stdio, detached: true });
    const sandboxInit = infoFd === undefined ? undefined : initPid(/** @type {import("node:stream").Readable | null | undefined} */ (child.stdio[infoFd]));
    child.once("error", (error) => settle({ spawnError: error.message, leftoversEnded: true }));
    child.once("close", (exitCode, signal) => {
      // What the command left behind ends before its exit is reported: in its group; carrying its
      // tag (if it has one), outside it (a process that moved to a new session); and in a sandbox,
      // with the namespace's init, which bubblewrap may outlive by a moment.
      if (child.pid !== undefined) killProcessGroup(child.pid);
      const ended = sandboxInit ? sandboxInit.then((pid) => pid === undefined || waitForExit(pid)) : tag ? killTaggedProcesses(tag) : Promise.resolve(0);
      void ended.then(
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

/**
 * The pid of a sandbox's init, read from the JSON bubblewrap writes on its info descriptor
 * (`{ "child-pid": 1234 }`); undefined when it wrote none.
 *
 * @param {import("node:stream").Readable | null | undefined} info
 * @returns {Promise<number | undefined>}
 */
function initPid(info) {
  if (!info) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    let text = "";
    info.setEncoding("utf8");
    info.on("data", (chunk) => (text += chunk));
    info.once("close", () => {
      const pid = /"child-pid"\s*:\s*(\d+)/.exec(text)?.[1];
      resolve(pid === undefined ? undefined : Number(pid));
    });
    info.once("error", () => resolve(undefined));
  });
}
