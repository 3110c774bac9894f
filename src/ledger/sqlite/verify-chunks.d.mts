import type Database from "better-sqlite3";

/** A break in the chain, as hash-chain.ts's ChainBreak. */
export interface ChunkBreak {
  readonly seq: number;
  readonly reason: "sequence-gap" | "hash-mismatch" | "head-mismatch";
}

/** What one chunk of the chain showed: its first break, if any, and its last event's hash. */
export interface ChunkFinding {
  readonly from: number;
  readonly broken: ChunkBreak | undefined;
  readonly last: string;
}

/** The chain up to `to`, cut into chunks of `chunkRows` handed out by the shared `counter`. */
export interface ChunkJob {
  readonly to: number;
  readonly chunkRows: number;
  readonly counter: Int32Array;
}

export interface ChunkStatements {
  readonly rows: Database.Statement;
  readonly hashAt: Database.Statement;
}

/** The statements one thread needs, on its own read-only connection. See verify-chunks.mjs. */
export function chunkStatements(db: Database.Database): ChunkStatements;

/** Verifies the next chunk the counter hands out; undefined when none is left. See verify-chunks.mjs. */
export function verifyNextChunk(statements: ChunkStatements, job: ChunkJob): ChunkFinding | undefined;
