import type { AdminEventView } from "../ledger/projections/projection-state.js";

/** What an admin put on a scope: `pause` stops starting tasks now; `drain` lets running runs finish and starts no new run. */
export interface Control {
  readonly scope: string;
  readonly state: "paused" | "draining";
  readonly since_utc: string;
  readonly by: string;
  readonly reason: string;
}

/** A scope an admin action targets: the whole project, or one pipeline by name. */
export function scopeOf(target: { kind: string; id: string }): string {
  return `${target.kind}:${target.id}`;
}

/** The admin actions that put or lift a control on a scope: the admin events controlsFrom folds. */
export const CONTROL_ACTIONS: readonly string[] = ["pause", "drain", "resume"];

/** Folds applied pause, drain and resume admin events, in ledger order, into the controls in force. */
export function controlsFrom(adminEvents: readonly AdminEventView[]): Control[] {
  const byScope = new Map<string, Control>();
  for (const event of adminEvents) {
    if (event.result !== "applied") continue;
    if (!CONTROL_ACTIONS.includes(event.action_type)) continue;
    for (const target of event.targets) {
      const scope = scopeOf(target);
      if (event.action_type === "resume") byScope.delete(scope);
      else
        byScope.set(scope, {
          scope,
          state: event.action_type === "pause" ? "paused" : "draining",
          since_utc: event.observed_at_utc,
          by: `${event.actor.kind}:${event.actor.id}`,
          reason: event.reason,
        });
    }
  }
  return [...byScope.values()];
}

/** The control that holds a pipeline of a project: its own, else the project's; paused wins over draining. */
export function controlFor(controls: readonly Control[], project: string, pipeline: string): Control | undefined {
  const mine = controls.filter((c) => c.scope === `project:${project}` || c.scope === `pipeline:${pipeline}`);
  return mine.find((c) => c.state === "paused") ?? mine[0];
}
