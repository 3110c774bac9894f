/**
 * Kills (SIGKILL) every process of this user whose environment carries `entry` (`NAME=value`),
 * found through /proc; resolves to how many were killed. See kill-tagged-processes.mjs.
 */
export function killTaggedProcesses(entry: string): Promise<number>;

/** Whether the process's environment holds `entry` (`NAME=value`) exactly; false when it is gone or not readable. */
export function carriesEntry(pid: number, entry: string): boolean;

/** Kills (SIGKILL) the process group led by `pid`; false when there is none left to kill. See kill-tagged-processes.mjs. */
export function killProcessGroup(pid: number): boolean;

/** Waits until `pid` has exited (gone, or a zombie), for about a second at most; resolves to whether it has. See kill-tagged-processes.mjs. */
export function waitForExit(pid: number): Promise<boolean>;
