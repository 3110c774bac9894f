import type { AdminEventView, ProjectionState } from "../ledger/projections/projection-state.js";

/** The admin events, oldest first, optionally only one action type and one actor (`kind:id`). */
export function auditView(state: ProjectionState, filter: { readonly action?: string | undefined; readonly actor?: string | undefined }): AdminEventView[] {
  return state.adminEvents
    .filter((e) => filter.action === undefined || e.action_type === filter.action)
    .filter((e) => filter.actor === undefined || `${e.actor.kind}:${e.actor.id}` === filter.actor);
}
