import { applyAdminEffects } from "./apply-admin-event.js";
import { applyDebugEvent } from "./apply-debug-event.js";
import type { EventReducers } from "./event-reducer.js";

type RecordEventType = "admin.recorded" | "debug.opened" | "debug.hypothesized" | "debug.experimented" | "debug.closed";

/** Records people keep: the admin audit trail (with what an action changes) and debug packets. */
export const RECORD_REDUCERS: EventReducers<RecordEventType> = {
  "admin.recorded": (state, event) => {
    applyAdminEffects(state, event.data, event.at, event.actor);
    const { before, after, ...rest } = event.data;
    state.adminEvents.push({
      ...rest,
      seq: event.seq,
      project: event.project,
      actor: event.actor,
      observed_at_utc: event.at,
      ...(before === undefined ? {} : { before }),
      ...(after === undefined ? {} : { after }),
    });
  },
  "debug.opened": applyDebugEvent,
  "debug.hypothesized": applyDebugEvent,
  "debug.experimented": applyDebugEvent,
  "debug.closed": applyDebugEvent,
};
