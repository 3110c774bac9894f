export { PostgresLedgerStore, type PostgresLedgerOptions } from "./postgres-ledger-store.js";
