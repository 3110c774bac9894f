import type { EventType } from "../events.js";
import type { FoldedEvent } from "../ledger-event.js";
import type { EventReducer, EventReducers } from "./event-reducer.js";
import type { ProjectionState } from "./projection-state.js";
import { ARTIFACT_REDUCERS } from "./reduce-artifact-events.js";
import { ATTEMPT_REDUCERS } from "./reduce-attempt-events.js";
import { GATE_REDUCERS } from "./reduce-gate-events.js";
import { GOVERNANCE_REDUCERS } from "./reduce-governance-events.js";
import { RECORD_REDUCERS } from "./reduce-record-events.js";
import { RUN_REDUCERS } from "./reduce-run-events.js";

/**
 * Every event type's reducer, built once: the type makes the compiler prove the catalogue is
 * covered, and a lookup keeps the read path free of per-event allocation.
 */
const REDUCERS: EventReducers<EventType> = {
  ...RUN_REDUCERS,
  ...ATTEMPT_REDUCERS,
  ...ARTIFACT_REDUCERS,
  ...GATE_REDUCERS,
  ...GOVERNANCE_REDUCERS,
  ...RECORD_REDUCERS,
};

/** The families the map is made of; a test holds each event type to exactly one of them. */
export const REDUCER_FAMILIES: readonly Readonly<Record<string, unknown>>[] = [
  RUN_REDUCERS,
  ATTEMPT_REDUCERS,
  ARTIFACT_REDUCERS,
  GATE_REDUCERS,
  GOVERNANCE_REDUCERS,
  RECORD_REDUCERS,
];

/**
 * Folds one event into the state. Pure in its inputs: the same events in the same order always
 * give the same state, which is what makes a rebuild from scratch equal to incremental updates.
 */
export function applyEvent(state: ProjectionState, event: FoldedEvent): void {
  state.seq = event.seq;
  // Each reducer takes its own event type; the map's type ties the key to it, which a call through
  // the union of reducers cannot express.
  const reduce = REDUCERS[event.type] as EventReducer<EventType> | undefined;
  if (reduce === undefined) throw new Error(`unhandled ledger event ${JSON.stringify(event)}`);
  reduce(state, event);
}
