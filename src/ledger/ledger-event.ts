import type { Actor } from "../contracts/common.js";
import type { Digest } from "../core/digest.js";
import type { EventData, EventType } from "./events.js";

/** An event to append: the ledger stamps its sequence number, time and hashes. */
export type NewEvent = {
  [T in EventType]: { readonly type: T; readonly project: string; readonly actor: Actor; readonly data: EventData<T> };
}[EventType];

/** An event as stored: numbered, timestamped and chained to its predecessor. */
export type LedgerEvent = {
  [T in EventType]: {
    readonly seq: number;
    readonly type: T;
    readonly project: string;
    readonly actor: Actor;
    /** Observation time (UTC) from the ledger's clock; business time is a run's `as_of`. */
    readonly at: string;
    readonly data: EventData<T>;
    readonly prev: Digest;
    readonly hash: Digest;
  };
}[EventType];

export type LedgerEventOf<T extends EventType> = Extract<LedgerEvent, { type: T }>;

/**
 * An event as the projections fold it: everything but its chain links. Read models are derived
 * inside the commit that seals the events, before their hashes are known to the deriving thread.
 */
export type FoldedEvent = {
  [T in EventType]: Omit<LedgerEventOf<T>, "prev" | "hash">;
}[EventType];

export type FoldedEventOf<T extends EventType> = Extract<FoldedEvent, { type: T }>;
