import type { Ledger } from "../ledger.js";
import { deriveInMemory } from "./derive-in-memory.js";
import type { MemoryReadModels } from "./memory-read-models.js";
import { ReadModels } from "./read-models.js";

/** The models of each ledger without stored ones, derived in memory so far: each read derives only what was appended since. */
const derived = new WeakMap<Ledger, Promise<{ models: MemoryReadModels; seq: number }>>();

/**
 * The one way a reader gets the read models of a ledger: the stored ones (indexed queries), or, for a
 * ledger whose store keeps none, the same models derived from its events in memory, kept for the
 * ledger and brought up to date on each call (the first call replays the ledger, as every read cost
 * before models were stored). Readers never branch on the backend.
 */
export async function readModelsOf(ledger: Ledger): Promise<ReadModels> {
  const stored = ledger.readModels;
  if (stored) return new ReadModels(stored.query);
  // One derivation at a time per ledger: each call waits for the one before and goes on from it.
  const before = derived.get(ledger);
  const next = (async () => {
    const from = await before?.catch(() => undefined);
    return deriveInMemory(ledger, undefined, from && { models: from.models, afterSeq: from.seq });
  })();
  derived.set(ledger, next);
  return new ReadModels((await next).models);
}
