export { EVENT_CATALOGUE, EVENT_TYPES, isEventType, type EventData, type EventType } from "./events.js";
export { EVENT_HASH_SCHEMA, GENESIS_HASH, hashEvent, type ChainBreak, type ChainHead } from "./hash-chain.js";
export { Ledger, type EventRedactor, type LedgerOptions, type ReadQuery, type VerifyReport } from "./ledger.js";
export type { LedgerEvent, LedgerEventOf, NewEvent } from "./ledger-event.js";
export type { LedgerCapabilities, LedgerStore, ScanQuery } from "./ledger-store.js";
export * from "./projections/index.js";
