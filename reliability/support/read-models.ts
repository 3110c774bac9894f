import { join } from "node:path";
import { Ledger } from "../../src/ledger/ledger.js";
import type { ReadModelReport } from "../../src/ledger/read-models/verify-read-models.js";
import { verifyReadModels } from "../../src/ledger/read-models/verify-read-models.js";
import { SqliteLedgerStore } from "../../src/ledger/sqlite/sqlite-ledger-store.js";

/**
 * The workspace's read models as the processes before left them, compared with a fresh derivation:
 * read without opening a workspace, whose open would rebuild models that are behind and hide it.
 */
export async function storedReadModels(root: string): Promise<{ seq: number; head: number; report: ReadModelReport | undefined }> {
  const ledger = new Ledger(new SqliteLedgerStore(join(root, ".runledger", "ledger.db"), { readModels: true }));
  try {
    const [status, head] = await Promise.all([ledger.readModels!.status(), ledger.head()]);
    return { seq: status.seq, head: head.seq, report: await verifyReadModels(ledger) };
  } finally {
    await ledger.close();
  }
}
