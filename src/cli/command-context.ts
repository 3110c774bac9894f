import type { Actor } from "../contracts/common.js";
import { RunledgerError } from "../core/errors.js";
import { adminEvent } from "../governance/admin-event.js";
import { accessFrom, authenticate, sameActor, type AccessState } from "../governance/access.js";
import { allows, type Role } from "../governance/roles.js";
import { emptyProjectionState } from "../ledger/projections/projection-state.js";
import { catchUpTypes } from "../ledger/projections/projector.js";
import { findWorkspaceRoot, openWorkspace, type Workspace } from "../workspace/workspace.js";
import { resolveActor } from "./actor.js";
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
  /** The command being run (`artifacts get`) and the role it needs; set before its action runs. */
  command: { path: string; role: Role | null | undefined } | undefined;
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
    const workspace = await openWorkspace(findWorkspaceRoot(this.options.workspace ?? this.io.cwd), { env: this.io.env });
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

  /** The access control in force in the workspace: on once an admin granted the first role. */
  async access(workspace: Workspace): Promise<AccessState> {
    // Access is all in the admin events: read those, not the whole ledger, before every command.
    return accessFrom((await catchUpTypes(workspace.ledger, emptyProjectionState(), { types: ["admin.recorded"] })).adminEvents);
  }

  /**
   * With access control on, the command's actor is the one its token (RUNLEDGER_TOKEN,
   * --token-file or --token) authenticates, and must hold the role the command needs; otherwise the refusal is recorded as
   * an access_denied admin event and the command fails with ERR_FORBIDDEN.
   */
  private async authorize(workspace: Workspace): Promise<void> {
    const needed = this.command?.role;
    if (needed === null) return;
    const access = await this.access(workspace);
    if (!access.enabled) return;
    const token = this.token;
    const who = token === undefined ? undefined : authenticate(access, token);
    const claimed = this.options.actor === undefined ? undefined : resolveActor(this.options.actor, this.io.env);
    const path = this.command?.path ?? "(unknown command)";
    let why: string | undefined;
    if (needed === undefined) why = `${path} declares no role`;
    else if (who === undefined) why = token ? "the token is not valid in this workspace" : "access control is on: present a token in RUNLEDGER_TOKEN or with --token-file FILE";
    else if (claimed !== undefined && !sameActor(claimed, who.actor)) why = `the token belongs to ${who.actor.kind}:${who.actor.id}, not ${claimed.kind}:${claimed.id}`;
    else if (!allows(who.roles, needed)) why = `${path} needs role ${needed}; ${who.actor.kind}:${who.actor.id} holds ${who.roles.join(", ")}`;
    if (why === undefined && who !== undefined) {
      this.#authenticated = who.actor;
      return;
    }
    const actor = who?.actor ?? claimed ?? resolveActor(undefined, this.io.env);
    await workspace.ledger.append([adminEvent(workspace.config.project, actor, { action_type: "access_denied", reason: why ?? "refused", targets: [{ kind: "command", id: path }], result: "refused" })]);
    throw new RunledgerError("ERR_FORBIDDEN", { detail: why ?? path });
  }
}
