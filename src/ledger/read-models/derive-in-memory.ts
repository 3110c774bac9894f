import type { FoldedEvent } from "../ledger-event.js";
import type { Ledger } from "../ledger.js";
import { completeWrites, deriveGroup } from "./derive-group.js";
import { MemoryReadModels } from "./memory-read-models.js";

const PAGE = 5_000;

/** Derives the read models of the ledger's events up to `upTo` (all when omitted) in memory, a page at a time. */
export async function deriveInMemory(ledger: Ledger, upTo = Number.POSITIVE_INFINITY): Promise<{ models: MemoryReadModels; events: number }> {
  const models = new MemoryReadModels();
  let page: FoldedEvent[] = [];
  let events = 0;
  const flush = () => {
    models.apply(completeWrites(deriveGroup(page, models.source)));
    events += page.length;
    page = [];
  };
  for await (const event of ledger.read({ pageSize: PAGE })) {
    if (event.seq > upTo) break;
    page.push(event);
    if (page.length === PAGE) flush();
  }
  flush();
  return { models, events };
}
