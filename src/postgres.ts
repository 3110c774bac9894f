// The `runledger/postgres` entry point: the PostgreSQL ledger backend. It needs the optional peer
// dependency `pg` (`npm install pg`); the main entry point never loads it.
export { PostgresLedgerStore, type PostgresLedgerOptions } from "./ledger/postgres/index.js";
