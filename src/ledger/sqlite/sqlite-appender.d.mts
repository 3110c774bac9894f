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
  commit(): SqliteGroup;
  abort(): void;
}
