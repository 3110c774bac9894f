import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, expect, it } from "vitest";
import { Ledger } from "../src/ledger/ledger.js";
import { SqliteLedgerStore } from "../src/ledger/sqlite/sqlite-ledger-store.js";

const dir = mkdtempSync(join(tmpdir(), "runledger-procs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("two processes appending to one SQLite ledger at once serialize without losing an event or forking the chain", async () => {
  const path = join(dir, "ledger.db");
  const worker = resolve(import.meta.dirname, "fixtures/append-worker.ts");
  const workers = ["alpha", "beta", "gamma"].map((project) => {
    const child = spawn(process.execPath, ["--import", "tsx", worker, path, project, "300", "10"], { stdio: ["pipe", "pipe", "inherit"] });
    const exited = once(child, "exit");
    return { child, exited };
  });
  // Each worker opens the ledger and says "ready"; all are released together, so that their appends
  // overlap however long each process took to start.
  await Promise.all(workers.map(({ child }) => once(child.stdout!, "data")));
  for (const { child } of workers) child.stdin!.end("go\n");
  expect((await Promise.all(workers.map(({ exited }) => exited))).map(([code]) => code)).toEqual([0, 0, 0]);

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
  expect([...perProject.entries()].map(([p, ids]) => [p, ids.size]).sort()).toEqual([["alpha", 3000], ["beta", 3000], ["gamma", 3000]]);
  // The writers really interleaved, and each batch of 10 stayed contiguous (atomic appends).
  expect(switches).toBeGreaterThan(3);
  expect(switches).toBeLessThanOrEqual(900);
  await ledger.close();
});
