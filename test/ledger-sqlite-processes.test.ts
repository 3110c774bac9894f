import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { Ledger } from "../src/ledger/ledger.js";
import { SqliteLedgerStore } from "../src/ledger/sqlite/sqlite-ledger-store.js";
import { readyAppenders } from "./support/appenders.js";

const dir = mkdtempSync(join(tmpdir(), "runledger-procs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("two processes appending to one SQLite ledger at once serialize without losing an event or forking the chain", async () => {
  const path = join(dir, "ledger.db");
  // Released together once all three have opened the ledger, and pausing 1 ms between batches, so
  // their appends overlap: without the pause, a fast writer (Node 26) kept the lock to its last batch.
  const appenders = await readyAppenders(path, ["alpha", "beta", "gamma"], 300, 10, 1);
  expect(await appenders.go()).toEqual([0, 0, 0]);

  const ledger = new Ledger(new SqliteLedgerStore(path));
  const report = await ledger.verify();
  expect(report).toMatchObject({ ok: true, checked: 9000 });
  const perProject = new Map<string, Set<string>>();
  let previousProject = "";
  let switches = 0;
  for await (const event of ledger.read()) {
    if (event.type !== "run.started") throw new Error(`unexpected ${event.type}`);
    const ids = perProject.get(event.project) ?? new Set();
    ids.add(event.data.run_id);
    perProject.set(event.project, ids);
    if (event.project !== previousProject) switches++;
    previousProject = event.project;
  }
  expect([...perProject.entries()].map(([p, ids]) => [p, ids.size]).sort()).toEqual([
    ["alpha", 3000],
    ["beta", 3000],
    ["gamma", 3000],
  ]);
  // The writers really interleaved, and each batch of 10 stayed contiguous (atomic appends).
  expect(switches).toBeGreaterThan(3);
  expect(switches).toBeLessThanOrEqual(900);
  await ledger.close();
});
