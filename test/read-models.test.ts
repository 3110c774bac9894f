import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import type { Clock } from "../src/core/clock.js";
import { Ledger } from "../src/ledger/ledger.js";
import { deriveInMemory } from "../src/ledger/read-models/derive-in-memory.js";
import { READ_MODEL_VERSION } from "../src/ledger/read-models/read-model-version.js";
import { readModelsOf } from "../src/ledger/read-models/read-models-of.js";
import { verifyReadModels } from "../src/ledger/read-models/verify-read-models.js";
import { SqliteLedgerStore, type SqliteLedgerOptions } from "../src/ledger/sqlite/sqlite-ledger-store.js";
import { gatedRun, governedHistory } from "./support/governed-history.js";
import { gatesView } from "../src/views/gates.js";
import { expectSameAsProjector } from "./support/same-as-projector.js";

const dir = mkdtempSync(join(tmpdir(), "runledger-read-models-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** A clock that ticks a millisecond a reading from a fixed instant: the same history makes the same models. */
function fixedClock(): Clock {
  let ms = Date.parse("2026-01-01T00:00:00.000Z");
  return { now: () => new Date(ms++) };
}

async function ledgerWith(options: SqliteLedgerOptions): Promise<Ledger> {
  const ledger = new Ledger(new SqliteLedgerStore(join(dir, `l${++n}.db`), options), { clock: fixedClock() });
  await ledger.openReadModels();
  for (const call of governedHistory()) await ledger.append(call);
  return ledger;
}

describe("read models stored beside the events", () => {
  for (const writer of ["adaptive", "thread", "inline"] as const) {
    it(`equal the projection's replay, view by view, when the ${writer} writer commits them`, async () => {
      const ledger = await ledgerWith({ readModels: true, writer });
      await expectSameAsProjector(await readModelsOf(ledger), ledger);
      expect(await verifyReadModels(ledger)).toMatchObject({ ok: true });
      expect(await ledger.readModels?.status()).toEqual({ version: READ_MODEL_VERSION, seq: (await ledger.head()).seq });
      await ledger.close();
    });
  }

  it("answer the same for a ledger that stores none: readModelsOf derives them in memory, then only what was appended since", async () => {
    const ledger = await ledgerWith({});
    expect(ledger.readModels).toBeUndefined();
    await expectSameAsProjector(await readModelsOf(ledger), ledger);
    await ledger.append(gatedRun("later"));
    const read = vi.spyOn(ledger, "read");
    await expectSameAsProjector(await readModelsOf(ledger), ledger);
    // The second derivation starts after the events the first one read.
    expect(read.mock.calls[0]?.[0]?.afterSeq).toBeGreaterThan(0);
    read.mockRestore();
    expect(await verifyReadModels(ledger)).toBeUndefined();
    await ledger.close();
  });

  it("are built on open from events appended without them, and then carry their version", async () => {
    const path = join(dir, `l${++n}.db`);
    const bare = new Ledger(new SqliteLedgerStore(path), { clock: fixedClock() });
    for (const call of governedHistory(20)) await bare.append(call);
    await bare.close();
    const ledger = new Ledger(new SqliteLedgerStore(path, { readModels: true }));
    expect(await ledger.openReadModels()).toBe(true);
    expect(await ledger.readModels?.status()).toEqual({ version: READ_MODEL_VERSION, seq: (await ledger.head()).seq });
    expect(await ledger.openReadModels()).toBe(false);
    await expectSameAsProjector(await readModelsOf(ledger), ledger);
    expect(await verifyReadModels(ledger)).toMatchObject({ ok: true });
    await ledger.close();
  });

  it("derive, in the next commit, events a writer that keeps none appended meanwhile: models never skip one", async () => {
    const path = join(dir, `l${++n}.db`);
    for (const writer of ["inline", "thread"] as const) {
      const ledger = new Ledger(new SqliteLedgerStore(`${path}.${writer}`, { readModels: true, writer }), { clock: fixedClock() });
      await ledger.openReadModels();
      const [first, second, third] = governedHistory(5);
      await ledger.append(first ?? []);
      const bare = new Ledger(new SqliteLedgerStore(`${path}.${writer}`));
      await bare.append(second ?? []);
      await bare.close();
      expect((await ledger.readModels?.status())?.seq).toBeLessThan((await ledger.head()).seq);
      await ledger.append(third ?? []);
      expect((await ledger.readModels?.status())?.seq).toBe((await ledger.head()).seq);
      await expectSameAsProjector(await readModelsOf(ledger), ledger);
      expect(await verifyReadModels(ledger)).toMatchObject({ ok: true });
      await ledger.close();
    }
  });

  it("catch up on open with what was appended without them, without a rebuild", async () => {
    const path = join(dir, `l${++n}.db`);
    const ledger = new Ledger(new SqliteLedgerStore(path, { readModels: true }), { clock: fixedClock() });
    await ledger.openReadModels();
    const [first, second] = governedHistory(5);
    await ledger.append(first ?? []);
    await ledger.close();
    const bare = new Ledger(new SqliteLedgerStore(path));
    await bare.append(second ?? []);
    await bare.close();
    const reopened = new Ledger(new SqliteLedgerStore(path, { readModels: true }));
    let rebuilt = false;
    expect(await reopened.openReadModels(() => (rebuilt = true))).toBe(true);
    expect(rebuilt).toBe(false);
    await expectSameAsProjector(await readModelsOf(reopened), reopened);
    expect(await verifyReadModels(reopened)).toMatchObject({ ok: true });
    await reopened.close();
  });
});

describe("gate status over the read models", () => {
  it("lists the gates last evaluated or decided, newest first, and says when older ones were left out", async () => {
    const ledger = new Ledger(new SqliteLedgerStore(join(dir, `l${++n}.db`), { readModels: true }), { clock: fixedClock() });
    await ledger.openReadModels();
    // Five gated runs, each evaluated then approved in its own call: g4 is the newest.
    for (const k of [0, 1, 2, 3, 4]) await ledger.append(gatedRun(`g${k}`));
    const models = await readModelsOf(ledger);
    const page = await gatesView(models, { limit: 2 });
    expect(page.gates.map((g) => g.run_id)).toEqual(["g4", "g3"]);
    expect(page.more).toBe(true);
    expect((await gatesView(models, { limit: 5 })).more).toBe(false);
    expect((await gatesView(models, {})).gates.map((g) => g.run_id)).toEqual(["g4", "g3", "g2", "g1", "g0"]);
    expect((await gatesView(models, { run: "g1" })).gates.map((g) => g.status)).toEqual(["approved"]);
    await ledger.close();
  });
});

describe("the read models' version", () => {
  it("changes whenever what the derivation makes of a fixed history changes", async () => {
    const ledger = await ledgerWith({});
    const tables = (await deriveInMemory(ledger)).models.tables();
    const digest = createHash("sha256");
    for (const [table, rows] of Object.entries(tables)) for (const [key, value] of [...rows].sort()) digest.update(`${table}\n${key}\n${value}\n`);
    // When this fails, the derivation changed: raise READ_MODEL_VERSION (stored models are then rebuilt on open) and record the new pair here.
    expect({ version: READ_MODEL_VERSION, digest: digest.digest("hex") }).toEqual({
      version: "2",
      digest: "0d3de01f5639520a2bd8185c167238d0e94d3ff225ae87b399f33eec3fdf8b3c",
    });
    await ledger.close();
  });
});
