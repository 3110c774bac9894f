/** Names the preimage layout of an event's hash. See event-hash.mjs. */
export const EVENT_HASH_SCHEMA: "runledger.event.v1";

/** The `prev` of the first event. */
export const GENESIS_HASH: `sha256:${string}`;

/** The hash of the event at `seq` after `prev`, whose `tail` is `project\ntype\nbody`. See event-hash.mjs. */
export function hashEventTail(seq: number, prev: string, tail: string): `sha256:${string}`;

/** hashEventTail() without the `sha256:` prefix. */
export function hashEventTailHex(seq: number, prev: string, tail: string): string;
