export { SqliteLedgerStore, type SqliteLedgerOptions } from "./sqlite-ledger-store.js";
