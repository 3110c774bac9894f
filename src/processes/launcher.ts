import { fork, type ChildProcess } from "node:child_process";
import { SANDBOX_INFO_FD, sandboxedArgv, type SandboxSpec } from "./sandbox.js";

/** What a command is started with: stdin closed, stdout and stderr to these files, in a new process group. */
export interface LaunchSpec {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly stdoutPath: string;
  readonly stderrPath: string;
  /** An environment entry (`NAME=value`) the command's processes carry: any still running after it exits are killed. */
  readonly tag?: string;
  /**
   * Runs the command in a sandbox (see sandbox.ts) whose PID namespace ends with it, which makes the
   * tag scan needless: nothing of the command outlives it, whatever it does with its environment.
   * bubblewrap may report the exit before the namespace's init has finished killing the rest, so
   * the launcher waits for that init (its pid comes on SANDBOX_INFO_FD).
   */
  readonly sandbox?: SandboxSpec;
}

/**
 * How a launched command ended: its exit, or why it never started. `leftoversEnded` tells that
 * its group, and every process carrying its tag (if it has one), were killed before the exit was
 * reported; it is false when the launcher was lost.
 */
export type LaunchExit = {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly spawnError?: string;
  readonly leftoversEnded: boolean;
};

/** A command once started: its pid (also its process group's id) and its exit. */
export interface Launched {
  readonly pid: number | undefined;
  readonly exit: Promise<LaunchExit>;
}

type Reply = { id: number; pid?: number; exitCode?: number | null; signal?: NodeJS.Signals | null; spawnError?: string; leftoversEnded?: boolean };

interface Pending {
  /** Resolves the launch; the first call counts. */
  started(pid: number | undefined): void;
  ended(exit: LaunchExit): void;
}

/**
 * Starts commands from a small resident process rather than from the engine. Node starts a child
 * by forking the whole parent, in time that grows with the parent's memory (about 2 ms at 50 MiB,
 * 5 ms at 150 MiB on the reference machines), and blocks the event loop meanwhile; the launcher
 * stays small, and its forks run beside the engine's work. One launcher per engine process,
 * started on the first command; it never keeps the engine alive, and exits when the engine does.
 */
class Launcher {
  #child: ChildProcess | undefined;
  #next = 0;
  readonly #pending = new Map<number, Pending>();

  launch(spec: LaunchSpec): Promise<Launched> {
    const child = this.#process();
    const id = ++this.#next;
    return new Promise<Launched>((resolve) => {
      let ended!: (exit: LaunchExit) => void;
      const exit = new Promise<LaunchExit>((done) => (ended = done));
      this.#pending.set(id, { started: (pid) => resolve({ pid, exit }), ended });
      child.channel?.ref();
      const argv = spec.sandbox ? sandboxedArgv(spec.argv, spec.sandbox, spec.cwd) : spec.argv;
      const ending = spec.sandbox ? { infoFd: SANDBOX_INFO_FD } : spec.tag === undefined ? {} : { tag: spec.tag };
      child.send({ id, argv, cwd: spec.cwd, env: spec.env, stdoutPath: spec.stdoutPath, stderrPath: spec.stderrPath, ...ending }, (error) => {
        if (error)
          this.#settle(id, { exitCode: null, signal: null, spawnError: `the command launcher did not take it: ${error.message}`, leftoversEnded: false });
      });
    });
  }

  #process(): ChildProcess {
    if (this.#child) return this.#child;
    // No execArgv: the launcher is plain JavaScript and needs none of the parent's loaders.
    const child = fork(new URL("./launcher-process.mjs", import.meta.url), [], {
      execArgv: [],
      stdio: ["ignore", "ignore", "inherit", "ipc"],
      serialization: "json",
    });
    child.on("message", (reply: Reply) => {
      if (reply.pid !== undefined) this.#pending.get(reply.id)?.started(reply.pid);
      else
        this.#settle(reply.id, {
          exitCode: reply.exitCode ?? null,
          signal: reply.signal ?? null,
          ...(reply.spawnError !== undefined && { spawnError: reply.spawnError }),
          leftoversEnded: reply.leftoversEnded === true,
        });
    });
    const lost = (why: string) => {
      if (this.#child !== child) return;
      this.#child = undefined;
      for (const id of [...this.#pending.keys()]) this.#settle(id, { exitCode: null, signal: null, spawnError: why, leftoversEnded: false });
    };
    child.once("error", (error) => lost(`the command launcher failed: ${error.message}`));
    child.once("exit", (code, signal) => lost(`the command launcher exited (${code ?? signal})`));
    child.unref();
    child.channel?.unref();
    this.#child = child;
    return child;
  }

  #settle(id: number, exit: LaunchExit): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    // A command that never reported a pid did not start: its launch resolves now, without one.
    pending.started(undefined);
    pending.ended(exit);
    if (this.#pending.size === 0) this.#child?.channel?.unref();
  }
}

const launcher = new Launcher();

/** Starts a command through this process's launcher. */
export function launch(spec: LaunchSpec): Promise<Launched> {
  return launcher.launch(spec);
}
