import type { Actor } from "../contracts/common.js";
import { findWorkspaceRoot, openWorkspace, type Workspace } from "../workspace/workspace.js";
import { resolveActor } from "./actor.js";
import type { CliIo, Output } from "./output.js";

/** The global options every command may read. */
export interface GlobalOptions {
  readonly json?: boolean;
  readonly workspace?: string;
  readonly actor?: string;
}

/** What a command gets: its output channel, the environment and the global options. */
export class CommandContext {
  /** Set by a command whose work completed but whose outcome failed (e.g. a run whose result is FAIL). */
  exitCode = 0;

  constructor(
    readonly io: CliIo,
    readonly output: Output,
    readonly options: GlobalOptions,
  ) {}

  actor(): Actor {
    return resolveActor(this.options.actor, this.io.env);
  }

  /** Opens the workspace named by --workspace, or the nearest one at or above the working directory. */
  openWorkspace(): Promise<Workspace> {
    return openWorkspace(findWorkspaceRoot(this.options.workspace ?? this.io.cwd), { env: this.io.env });
  }

  /** Runs `work` on the open workspace and closes it afterwards, whatever `work` does. */
  async withWorkspace<T>(work: (workspace: Workspace) => Promise<T>): Promise<T> {
    const workspace = await this.openWorkspace();
    try {
      return await work(workspace);
    } finally {
      await workspace.close();
    }
  }
}
