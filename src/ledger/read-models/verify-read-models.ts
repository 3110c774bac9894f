import { RunledgerError } from "../../core/errors.js";
import type { FoldedEvent } from "../ledger-event.js";
import type { Ledger } from "../ledger.js";
import { deriveGroup } from "./derive-group.js";
import { MemoryReadModels, type ReadModelDifference } from "./memory-read-models.js";
import { READ_MODEL_VERSION } from "./read-model-version.js";

export interface ReadModelReport {
  readonly ok: boolean;
  /** Events derived afresh. */
  readonly events: number;
  readonly rows: number;
  readonly difference?: ReadModelDifference;
}

const PAGE = 5_000;

/**
 * Derives the read models afresh from the chain, in memory, and compares them row by row with the
 * stored ones: they are derived state, never a second truth. Reports the first difference.
 */
export async function verifyReadModels(ledger: Ledger): Promise<ReadModelReport | undefined> {
  const stored = ledger.readModels;
  if (!stored) return undefined;
  const status = await stored.status();
  const fresh = new MemoryReadModels();
  let page: FoldedEvent[] = [];
  let events = 0;
  const flush = () => {
    const writes = deriveGroup(page, fresh.source);
    if ("missing" in writes) throw new RunledgerError("ERR_INTERNAL", { detail: "read models: an in-memory derivation left documents missing" });
    fresh.apply(writes);
    events += page.length;
    page = [];
  };
  for await (const event of ledger.read({ pageSize: PAGE })) {
    if (event.seq > status.seq) break;
    page.push(event);
    if (page.length === PAGE) flush();
  }
  flush();
  const rows = Object.values(fresh.tables).reduce((n, table) => n + table.size, 0);
  if (status.version !== READ_MODEL_VERSION) {
    return { ok: false, events, rows, difference: { table: "docs", key: "version", expected: READ_MODEL_VERSION, actual: status.version } };
  }
  const difference = await fresh.firstDifference(stored.rows());
  return difference ? { ok: false, events, rows, difference } : { ok: true, events, rows };
}
