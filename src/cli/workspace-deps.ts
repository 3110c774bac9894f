import { systemClock } from "../core/clock.js";
import type { TaskProgress } from "../engine/index.js";
import { readModelsOf } from "../ledger/read-models/read-models-of.js";
import { workspaceSecretStore } from "../secrets/secret-store.js";
import type { EngineUseCaseDeps, ReadDeps, RecordDeps, SecretDeps } from "../usecases/index.js";
import { readAccess } from "../views/access.js";
import { engineDeps, workRootOf, type Workspace } from "../workspace/workspace.js";
import type { CommandContext } from "./command-context.js";

/** The workspace as use cases see it: its ledger, project, read models and the acting actor. */
export function recordDeps(ctx: CommandContext, workspace: Workspace): RecordDeps & ReadDeps {
  return { ledger: workspace.ledger, actor: ctx.actor(), project: workspace.config.project, readModels: () => readModelsOf(workspace.ledger) };
}

/** recordDeps with the access control in force. */
export function accessDeps(ctx: CommandContext, workspace: Workspace) {
  return { ...recordDeps(ctx, workspace), readAccess: () => readAccess(workspace.ledger) };
}

/** recordDeps with the workspace's secret store, its mask, and the clock that dates a new value. */
export function secretDeps(ctx: CommandContext, workspace: Workspace): SecretDeps {
  return { ...recordDeps(ctx, workspace), store: workspaceSecretStore(workspace.root), mask: workspace.mask, clock: systemClock };
}

/** recordDeps with what retention names and prunes. */
export function retentionDeps(ctx: CommandContext, workspace: Workspace) {
  return { ...recordDeps(ctx, workspace), workspaceName: workspace.config.name, workRoot: workRootOf(workspace) };
}

/** The engine's ports for a command: the workspace's, with live progress and warnings on stderr; and the read models and modes. */
export function engineUseCaseDeps(ctx: CommandContext, workspace: Workspace): EngineUseCaseDeps {
  return { engine: cliEngineDeps(ctx, workspace), modes: workspace.modes, readModels: () => readModelsOf(workspace.ledger) };
}

function cliEngineDeps(ctx: CommandContext, workspace: Workspace) {
  const warn = (message: string) => ctx.output.warn("run.warning", message);
  return { ...engineDeps(workspace, ctx.actor()), ...liveProgress(ctx), onWarning: warn };
}

/** On a terminal without --json, one line per task as it starts and settles. */
function liveProgress(ctx: CommandContext) {
  if (ctx.output.json || !(ctx.io.stdout as { isTTY?: boolean }).isTTY) return {};
  const marks = { started: "..", passed: "ok", failed: "!!", skipped: "--", reused: "==", waiting: "??" } as const;
  return {
    onProgress: (p: TaskProgress) => {
      const detail = p.state === "started" ? "" : ` ${p.result ?? ""}${p.reason ? ` (${p.reason})` : ""}`;
      ctx.output.say([`  ${marks[p.state]} ${p.task}${p.state === "started" ? "" : ` ${p.state}`}${detail}`]);
    },
  };
}
