import type { FoldedEvent } from "../ledger-event.js";
import type { Ledger } from "../ledger.js";
import { completeWrites, deriveGroup } from "./derive-group.js";
import { MemoryReadModels } from "./memory-read-models.js";

const PAGE = 5_000;

/**
 * Derives the read models of the ledger's events up to `upTo` (all when omitted) in memory, a page
 * at a time: into `models` from the event after `afterSeq` (which they reflect), or from scratch.
 */
export async function deriveInMemory(
  ledger: Ledger,
  upTo = Number.POSITIVE_INFINITY,
  from: { models: MemoryReadModels; afterSeq: number } = { models: new MemoryReadModels(), afterSeq: 0 },
): Promise<{ models: MemoryReadModels; events: number; seq: number }> {
  const { models } = from;
  let seq = from.afterSeq;
  let page: FoldedEvent[] = [];
  let events = 0;
  const flush = () => {
    models.apply(completeWrites(deriveGroup(page, models.source)));
    events += page.length;
    page = [];
  };
  for await (const event of ledger.read({ pageSize: PAGE, afterSeq: seq })) {
    if (event.seq > upTo) break;
    seq = event.seq;
    page.push(event);
    if (page.length === PAGE) flush();
  }
  flush();
  return { models, events, seq };
}
