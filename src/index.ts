// The public API of runledger, as explicit named exports by area.
export * from "./core/index.js";
export * from "./contracts/index.js";
export * from "./ledger/index.js";
export { SqliteLedgerStore, type SqliteLedgerOptions } from "./ledger/sqlite/index.js";
export { PostgresLedgerStore } from "./ledger/postgres/index.js";
export * from "./artifacts/index.js";
export * from "./workspace/index.js";
