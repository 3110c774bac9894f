import type { Ledger } from "../ledger.js";
import { deriveInMemory } from "./derive-in-memory.js";
import { ReadModels } from "./read-models.js";

/**
 * The one way a reader gets the read models of a ledger: the stored ones (indexed queries), or, for a
 * ledger whose store keeps none, the same models derived from its events in memory (a replay, as
 * every read cost before models were stored). Readers never branch on the backend.
 */
export async function readModelsOf(ledger: Ledger): Promise<ReadModels> {
  const stored = ledger.readModels;
  if (stored) return new ReadModels(stored.query);
  return new ReadModels((await deriveInMemory(ledger)).models);
}
