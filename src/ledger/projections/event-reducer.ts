import type { EventType } from "../events.js";
import type { FoldedEventOf } from "../ledger-event.js";
import type { ProjectionState } from "./projection-state.js";

/** Folds one event of type T into the state. */
export type EventReducer<T extends EventType> = (state: ProjectionState, event: FoldedEventOf<T>) => void;

/** One reducer per event type of a family; the full map is checked against the whole catalogue. */
export type EventReducers<T extends EventType> = { readonly [K in T]: EventReducer<K> };
