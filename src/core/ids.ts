import { randomUUID } from "node:crypto";

/** Produces identifiers; injected so a test can replay deterministically. */
export interface IdSource {
  next(): string;
}

/** Random UUIDv4 ids: never derived from wall time, so two runs never share an id by their timing. */
export const randomIds: IdSource = { next: () => randomUUID() };
