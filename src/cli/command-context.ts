import type { Actor } from "../contracts/common.js";
import type { Action } from "../usecases/actions.js";
import type { Workspace } from "../workspace/workspace.js";
import { resolveActor } from "./actor.js";
import { readModelProgress } from "./read-model-progress.js";
import type { CliIo, Output } from "./output.js";

/** The global options every command may read. */
export interface GlobalOptions {
  readonly json?: boolean;
  readonly workspace?: string;
  readonly actor?: string;
  readonly token?: string;
  readonly tokenFile?: string;
}

/** What a command gets: its output channel, the environment and the global options. */
export class CommandContext {
  /** Set by a command whose work completed but whose outcome failed (e.g. a run whose result is FAIL). */
  exitCode = 0;
  /** The command being run (`artifacts get`) and the action it performs (null: none to authorize); set before it runs. */
  command: { path: string; action: Action | null | undefined } | undefined;
  /** The actor a token authenticated, in a workspace with access control on. */
  #authenticated: Actor | undefined;
  /** The token presented (--token-file, --token or RUNLEDGER_TOKEN), read before the command runs. */
  token: string | undefined;

  constructor(
    readonly io: CliIo,
    readonly output: Output,
    readonly options: GlobalOptions,
  ) {}

  actor(): Actor {
    return this.#authenticated ?? resolveActor(this.options.actor, this.io.env);
  }

  /** Opens the workspace named by --workspace, or the nearest one at or above the working directory. */
  async openWorkspace(): Promise<Workspace> {
    // Loaded here, not at start: `effect` and the usage errors never open a workspace.
    const { findWorkspaceRoot, openWorkspace } = await import("../workspace/workspace.js");
    const root = findWorkspaceRoot(this.options.workspace ?? this.io.cwd);
    const workspace = await openWorkspace(root, { env: this.io.env, onReadModelRebuild: readModelProgress(this.io, this.output.json) });
    // From here on, everything the command prints passes the workspace's secret mask.
    this.output.redactor = workspace.mask;
    return workspace;
  }

  /** Runs `work` on the open workspace and closes it afterwards, whatever `work` does. */
  async withWorkspace<T>(work: (workspace: Workspace) => Promise<T>): Promise<T> {
    const workspace = await this.openWorkspace();
    try {
      await this.authorize(workspace);
      return await work(workspace);
    } finally {
      await workspace.close();
    }
  }

  /**
   * With access control on, the command's actor is the one its token authenticates, and must hold
   * the role its action needs; a refusal is recorded and fails with ERR_FORBIDDEN (authorizeRequest).
   */
  private async authorize(workspace: Workspace): Promise<void> {
    const action = this.command?.action;
    if (action === null) return;
    const [{ authorizeRequest }, { readAccess }] = await Promise.all([import("../usecases/authorize-request.js"), import("../views/access.js")]);
    const claimed = this.options.actor === undefined ? undefined : resolveActor(this.options.actor, this.io.env);
    const deps = {
      ledger: workspace.ledger,
      project: workspace.config.project,
      readAccess: () => readAccess(workspace.ledger),
      fallbackActor: () => resolveActor(undefined, this.io.env),
    };
    this.#authenticated = await authorizeRequest(deps, { action, subject: this.command?.path ?? "(unknown command)", token: this.token, claimed });
  }
}
