import type Database from "better-sqlite3";

/** A committed group: the head before it, and its rows' hashes in order. */
export interface SqliteGroup {
  readonly seq: number;
  readonly prev: `sha256:${string}`;
  readonly hashes: `sha256:${string}`[];
}

/** Seals and inserts a SQLite ledger's appends on one connection. See sqlite-appender.mjs. */
export class SqliteAppender {
  constructor(db: Database.Database);
  /** `fields` holds each row's project, type and body in turn. */
  add(fields: readonly string[], first: boolean, last: boolean): void;
  drop(): void;
  /** Whether the open group failed: commit() throws why. */
  readonly failed: boolean;
  /** The seq of the head the open group follows, or of the current head when none is open. */
  base(): number;
  /** `beforeCommit` writes what derives from the rows in the same transaction, given the seq they follow. */
  commit(beforeCommit?: (base: number) => void): SqliteGroup;
  abort(): void;
}
