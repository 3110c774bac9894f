import { RunledgerError } from "../../core/errors.js";
import type { FoldedEvent } from "../ledger-event.js";
import type { Ledger } from "../ledger.js";
import { deriveGroup } from "./derive-group.js";
import { MemoryReadModels } from "./memory-read-models.js";

const PAGE = 5_000;

/** Derives the read models of the ledger's events up to `upTo` (all when omitted) in memory, a page at a time. */
export async function deriveInMemory(ledger: Ledger, upTo = Number.POSITIVE_INFINITY): Promise<{ models: MemoryReadModels; events: number }> {
  const models = new MemoryReadModels();
  let page: FoldedEvent[] = [];
  let events = 0;
  const flush = () => {
    const writes = deriveGroup(page, models.source);
    if ("missing" in writes) throw new RunledgerError("ERR_INTERNAL", { detail: "read models: an in-memory derivation left documents missing" });
    models.apply(writes);
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
