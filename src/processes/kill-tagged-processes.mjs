// @ts-check
// Ending what a command started. Plain JavaScript (types in kill-tagged-processes.d.mts): the
// launcher process loads it as it is, from src/ and dist/ alike.
import { readdirSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

/** Scans after a kill, pausing longer each time (1, 2, 4 … 64 ms: about a second in all). */
const KILL_ROUNDS = 14;

/**
 * Kills (SIGKILL) every process of this user whose environment carries `entry` (`NAME=value`),
 * found through /proc (Linux; elsewhere nothing is found). This reaches what a command started
 * and then moved out of its process group (`setsid`, a double fork into a new session), which a
 * group kill misses. Repeats until a scan finds none, so a child forked during a scan is caught
 * too; between scans it pauses, since a killed process lingers until the kernel tears it down (on
 * a busy machine, longer than a scan takes). Resolves to how many kills were sent.
 *
 * @param {string} entry
 * @returns {Promise<number>}
 */
export async function killTaggedProcesses(entry) {
  let killed = 0;
  for (let round = 0; round < KILL_ROUNDS; round++) {
    const found = findTagged(entry);
    if (found.length === 0) break;
    for (const pid of found) {
      try {
        process.kill(pid, "SIGKILL");
        killed++;
      } catch {
        // Gone already, or not ours to kill.
      }
    }
    await pause(round);
  }
  return killed;
}

/**
 * The pause before scan `round + 1`: 1, 2, 4 … 64 ms.
 *
 * @param {number} round
 */
function pause(round) {
  return sleep(Math.min(2 ** round, 64));
}

/**
 * Whether `pid` is gone or a zombie: a zombie is dead already; it waits for its parent to reap it
 * and cannot be killed again.
 *
 * @param {number} pid
 * @returns {boolean}
 */
function hasExited(pid) {
  const stat = readProc(`/proc/${pid}/stat`);
  return stat === "" || /\) [ZX] /.test(stat);
}

/**
 * Waits until the process `pid` has exited (gone, or a zombie), pausing longer each time, for about
 * a second at most; resolves to whether it has.
 *
 * @param {number} pid
 * @returns {Promise<boolean>}
 */
export async function waitForExit(pid) {
  for (let round = 0; round < KILL_ROUNDS; round++) {
    if (hasExited(pid)) return true;
    await pause(round);
  }
  return false;
}

/**
 * Kills (SIGKILL) the process group led by `pid`; false when there is none left to kill.
 *
 * @param {number} pid
 * @returns {boolean}
 */
export function killProcessGroup(pid) {
  try {
    process.kill(-pid, "SIGKILL");
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads /proc synchronously: each read is a few microseconds of kernel work, and this runs (in the
 * launcher) after every command, where a thread-pool round trip per process cost more than the reads.
 *
 * @param {string} entry
 * @returns {number[]}
 */
function findTagged(entry) {
  /** @type {number[]} */
  const found = [];
  let names;
  try {
    names = readdirSync("/proc");
  } catch {
    return found;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    if (!carriesEntry(Number(name), entry)) continue;
    if (!hasExited(Number(name))) found.push(Number(name));
  }
  return found;
}

/**
 * Whether the process's environment holds `entry` (`NAME=value`) exactly; false when it is gone or not readable.
 *
 * @param {number} pid
 * @param {string} entry
 * @returns {boolean}
 */
export function carriesEntry(pid, entry) {
  return `\0${readProc(`/proc/${pid}/environ`)}\0`.includes(`\0${entry}\0`);
}

/** @param {string} path @returns {string} */
function readProc(path) {
  try {
    return readFileSync(path, "latin1");
  } catch {
    return "";
  }
}
