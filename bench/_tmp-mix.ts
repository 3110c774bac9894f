import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ledger } from "../src/ledger/ledger.js";
import { SqliteLedgerStore } from "../src/ledger/sqlite/sqlite-ledger-store.js";
import { HistoryMix } from "./history-events.js";
const mix = new HistoryMix("bench");
const batches = Array.from({ length: 100 }, () => mix.next(1000));
for (const m of (process.env.MODES ?? "off,on").split(",")) {
  const dir = mkdtempSync(join(tmpdir(), "mx-"));
  const ledger = new Ledger(new SqliteLedgerStore(join(dir, "l.db"), { readModels: m === "on", writer: (process.env.W ?? "adaptive") as "inline" }));
  await ledger.openReadModels();
  const t = performance.now();
  for (const b of batches) await ledger.append(b);
  console.log(m, Math.round(100000 / ((performance.now() - t) / 1000)), "events/s");
  await ledger.close();
}
