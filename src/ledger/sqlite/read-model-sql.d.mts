import type Database from "better-sqlite3";

/** One group's writes as src/ledger/read-models/read-model-writes.ts lays them out. */
export interface FlatWrites {
  readonly seq: number;
  readonly docs: readonly (string | number | null)[];
  readonly runs: readonly (string | number)[];
  readonly items: readonly (string | number | null)[];
  readonly refs: readonly (string | number)[];
}

export declare const READ_MODEL_TABLES: Readonly<Record<"rm_meta" | "rm_docs" | "rm_runs" | "rm_items" | "rm_refs", string>>;
export declare const READ_MODEL_TABLE_NAMES: readonly ("rm_meta" | "rm_docs" | "rm_runs" | "rm_items" | "rm_refs")[];
export declare function ensureReadModelTables(db: Database.Database, version: string): boolean;

export declare class ReadModelSql {
  constructor(db: Database.Database);
  get(collection: string, key: string): string | null;
  apply(writes: FlatWrites): void;
  meta(): { version: string | null; seq: number };
  setVersion(version: string): void;
  clear(): void;
  indexAgain(): void;
}
