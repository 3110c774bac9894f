import { RunledgerError } from "../core/errors.js";
import { adminEvent } from "../governance/admin-event.js";
import { CONTROL_ACTIONS, controlsFrom, scopeOf } from "../governance/controls.js";
import type { ReadDeps, RecordDeps } from "./deps.js";

/** pause: no task starts in the scope; drain: running runs finish, no new run starts; resume: lifts either. */
export type ControlAction = "pause" | "drain" | "resume";
export type ControlState = "open" | "paused" | "draining";

export interface ChangeControlInput {
  readonly action: ControlAction;
  /** Only this pipeline; default the whole project. */
  readonly pipeline?: string | undefined;
  readonly reason: string | undefined;
}

const STATE_AFTER: Record<ControlAction, ControlState> = { pause: "paused", drain: "draining", resume: "open" };

/**
 * Pauses, drains or resumes a scope. Resuming an open scope, and pausing (draining) one already
 * paused (draining), is ERR_USAGE; a blank reason is ERR_REASON_REQUIRED. Records one admin event
 * with the state before and after, and returns the scope's new state.
 */
export async function changeControl(deps: RecordDeps & ReadDeps, input: ChangeControlInput): Promise<{ scope: string; state: ControlState }> {
  const target = input.pipeline === undefined ? { kind: "project", id: deps.project } : { kind: "pipeline", id: input.pipeline };
  const scope = scopeOf(target);
  const controls = await (await deps.readModels()).adminEvents({ kinds: CONTROL_ACTIONS });
  const before = controlsFrom(controls).find((c) => c.scope === scope);
  const state = STATE_AFTER[input.action];
  if (input.action === "resume" && !before) throw new RunledgerError("ERR_USAGE", { detail: `${scope} is neither paused nor draining` });
  if (input.action !== "resume" && before?.state === state) throw new RunledgerError("ERR_USAGE", { detail: `${scope} is already ${before.state}` });
  await deps.ledger.append([
    adminEvent(deps.project, deps.actor, {
      action_type: input.action,
      reason: input.reason,
      targets: [target],
      before: { state: before?.state ?? "open" },
      after: { state },
      result: "applied",
    }),
  ]);
  return { scope, state };
}
