import type { Ledger } from "../ledger.js";
import { deriveInMemory } from "./derive-in-memory.js";
import type { ReadModelDifference } from "./memory-read-models.js";
import { READ_MODEL_VERSION } from "./read-model-version.js";

export interface ReadModelReport {
  readonly ok: boolean;
  /** Events derived afresh. */
  readonly events: number;
  readonly rows: number;
  readonly difference?: ReadModelDifference;
}

/**
 * Derives the read models afresh from the chain, in memory, and compares them row by row with the
 * stored ones: they are derived state, never a second truth. Reports the first difference; undefined
 * for a ledger that stores none.
 */
export async function verifyReadModels(ledger: Ledger): Promise<ReadModelReport | undefined> {
  const stored = ledger.readModels;
  if (!stored) return undefined;
  const [status, head] = await Promise.all([stored.status(), ledger.head()]);
  const { models, events } = await deriveInMemory(ledger, status.seq);
  const rows = Object.values(models.tables()).reduce((n, table) => n + table.size, 0);
  if (status.version !== READ_MODEL_VERSION) {
    return { ok: false, events, rows, difference: { table: "docs", key: "(version)", expected: READ_MODEL_VERSION, actual: status.version } };
  }
  if (status.seq !== head.seq) {
    return { ok: false, events, rows, difference: { table: "docs", key: "(seq)", expected: String(head.seq), actual: String(status.seq) } };
  }
  const difference = await models.firstDifference(stored.rows());
  return difference ? { ok: false, events, rows, difference } : { ok: true, events, rows };
}
