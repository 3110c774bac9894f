import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { NewEvent } from "../ledger-event.js";
import type { LedgerStore } from "../ledger-store.js";
import { Ledger } from "../ledger.js";
import { Projector } from "../projections/projector.js";
import type { ReadModelRow } from "../read-models/read-model-store.js";
import { READ_MODEL_VERSION } from "../read-models/read-model-version.js";
import { ReadModels } from "../read-models/read-models.js";
import { verifyReadModels } from "../read-models/verify-read-models.js";
import { CONFORMANCE_CLOCK } from "./ledger-setup.js";
import { readModelRunEvents } from "./read-model-history.js";
import { SERVICE_ACTOR } from "./sample-events.js";

/** One isolated, empty ledger storage whose stores keep read models. */
export interface ReadModelFixture {
  readonly store: LedgerStore;
  /** Opens another store on the same storage: with read models, unless `bare` (a writer that keeps none). */
  reopen(bare?: boolean): Promise<LedgerStore>;
  /** Runs SQL on the storage without the port (to play the attacker); tables are named unqualified, as `rm_docs`. */
  tamper(sql: string): Promise<void>;
  destroy(): Promise<void>;
}

/** Run ids whose byte order differs from a locale's: upper case before lower, non-ASCII last. */
const RUN_IDS = ["r1", "R2", "r-ä3", "Z4"];

const ROWS_DIGEST = "dbe81d6951e4965a779b93d98826f4a52a8e7d0e11b8a7ccf63272eda0a3f407";

/**
 * The suite every LedgerStore that keeps read models passes: what a commit writes equals the
 * Projector's state and a fresh derivation, whatever the grouping and however many writers;
 * a failed commit writes neither events nor models; tampering is found.
 */
export function readModelConformance(name: string, open: () => Promise<ReadModelFixture>): void {
  describe(`read model conformance: ${name}`, () => {
    const opened: ReadModelFixture[] = [];
    const setup = async () => {
      const fixture = await open();
      opened.push(fixture);
      const ledger = new Ledger(fixture.store, { clock: CONFORMANCE_CLOCK });
      await ledger.openReadModels();
      return { fixture, ledger };
    };
    afterEach(async () => {
      for (const fixture of opened.splice(0)) await fixture.destroy();
    });

    derivationConformance(setup);
    otherWritersConformance(setup);
    failureConformance(setup);
  });
}

type Setup = () => Promise<{ readonly fixture: ReadModelFixture; readonly ledger: Ledger }>;

/** What commits and rebuilds derive: the Projector's state, whatever the grouping and however many writers. */
function derivationConformance(setup: Setup): void {
  it("keeps views equal to the Projector's state, appended call by call and grouped", async () => {
    const { ledger } = await setup();
    await ledger.append(readModelRunEvents(RUN_IDS[0] as string));
    await Promise.all(RUN_IDS.slice(1).map((id, i) => ledger.append(readModelRunEvents(id, `p${i}`))));
    await expectViewsEqualProjector(ledger);
    expect(await verifyReadModels(ledger)).toMatchObject({ ok: true, events: (await ledger.head()).seq });
  });

  it("reports the head in status() after appends, and rebuilds to identical rows", async () => {
    const { ledger } = await setup();
    const models = ledger.readModels!;
    expect(await models.status()).toEqual({ version: READ_MODEL_VERSION, seq: 0 });
    await ledger.append(readModelRunEvents("r1"));
    await ledger.append(readModelRunEvents("R2"));
    expect(await models.status()).toEqual({ version: READ_MODEL_VERSION, seq: (await ledger.head()).seq });
    const before = await allRows(models.rows());
    const progress: number[] = [];
    await ledger.rebuildReadModels((seq) => progress.push(seq));
    expect(progress.at(-1)).toBe((await ledger.head()).seq);
    expect(await allRows(models.rows())).toEqual(before);
    expect(await models.status()).toEqual({ version: READ_MODEL_VERSION, seq: (await ledger.head()).seq });
    expect(await ledger.openReadModels()).toBe(false);
  });

  it("lists the same rows as every other backend", async () => {
    const { ledger } = await setup();
    await ledger.append(RUN_IDS.flatMap((id) => readModelRunEvents(id)));
    const rows = inKeyOrder(await allRows(ledger.readModels!.rows()));
    // Golden value: the rows of this history as the SQLite store lists them, put in key order.
    expect(createHash("sha256").update(JSON.stringify(rows)).digest("hex")).toBe(ROWS_DIGEST);
  });

  it("stays equal to the Projector with two ledgers on one storage appending at once", async () => {
    const { fixture, ledger } = await setup();
    const other = new Ledger(await fixture.reopen(), { clock: CONFORMANCE_CLOCK });
    const appends = RUN_IDS.flatMap((id, i) => [(i % 2 === 0 ? ledger : other).append(readModelRunEvents(id)), other.append([started(`${id}-x`)])]);
    await Promise.all(appends);
    await other.close();
    await expectViewsEqualProjector(ledger);
    expect(await verifyReadModels(ledger)).toMatchObject({ ok: true });
  });
}

/** Models of another version made anew, a writer without models caught up. */
function otherWritersConformance(setup: Setup): void {
  it("makes anew, and rebuilds, the tables of models another version derived, whatever their shape", async () => {
    const { fixture, ledger } = await setup();
    await ledger.append(readModelRunEvents("r1"));
    await fixture.tamper(
      "DROP TABLE rm_refs; CREATE TABLE rm_refs (digest text, kind text, value text, seq bigint); UPDATE rm_meta SET value = '0' WHERE name = 'version'",
    );
    const reopened = new Ledger(await fixture.reopen(), { clock: CONFORMANCE_CLOCK });
    expect(await reopened.openReadModels()).toBe(true);
    expect(await reopened.readModels?.status()).toEqual({ version: READ_MODEL_VERSION, seq: (await reopened.head()).seq });
    expect(await verifyReadModels(reopened)).toMatchObject({ ok: true });
    const models = new ReadModels(reopened.readModels!.query);
    expect((await models.run("r1"))?.tasks).toEqual((await new Projector(reopened).catchUp()).runs["r1"]?.tasks);
  });

  it("derives what a writer that keeps no models appended: in the next commit, and on open", async () => {
    const { fixture, ledger } = await setup();
    await ledger.append(readModelRunEvents("r1"));
    const bare = new Ledger(await fixture.reopen(true), { clock: CONFORMANCE_CLOCK });
    await bare.append(readModelRunEvents("r2"));
    await ledger.append(readModelRunEvents("r3"));
    expect((await ledger.readModels?.status())?.seq).toBe((await ledger.head()).seq);
    await bare.append(readModelRunEvents("Z4"));
    const reopened = new Ledger(await fixture.reopen(), { clock: CONFORMANCE_CLOCK });
    expect(await reopened.openReadModels()).toBe(true);
    expect((await reopened.readModels?.status())?.seq).toBe((await reopened.head()).seq);
    expect(await verifyReadModels(reopened)).toMatchObject({ ok: true });
    expect((await new ReadModels(reopened.readModels!.query).runs({ limit: 10 })).map((r) => r.id)).toEqual(["Z4", "r3", "r2", "r1"]);
    const query = reopened.readModels!.query;
    const seqs = await Promise.all(["r1", "r2", "r3", "Z4", "missing"].map((id) => query.requestSeq(id)));
    expect(seqs.slice(0, 4).every((seq, i) => seq !== undefined && (i === 0 || seq > (seqs[i - 1] as number)))).toBe(true);
    expect(seqs[4]).toBeUndefined();
  });
}

/** Tampering found, a lost table brought back, a failed commit leaving nothing. */
function failureConformance(setup: Setup): void {
  it("names a row edited by hand", async () => {
    const { fixture, ledger } = await setup();
    await ledger.append(readModelRunEvents("r1"));
    await fixture.tamper(`UPDATE rm_docs SET doc = replace(doc, '"degraded"', '"succeeded"') WHERE collection = 'runs' AND key = 'r1'`);
    const report = await verifyReadModels(ledger);
    expect(report).toMatchObject({ ok: false, difference: { table: "docs", key: "runs r1" } });
    expect(report?.difference?.expected).toContain('"degraded"');
    expect(report?.difference?.actual).toContain('"succeeded"');
  });

  it("brings back a table dropped by hand, and rebuilds it on open", async () => {
    const { fixture, ledger } = await setup();
    await ledger.append(readModelRunEvents("r1"));
    await fixture.tamper("DROP TABLE rm_runs");
    const reopened = new Ledger(await fixture.reopen(), { clock: CONFORMANCE_CLOCK });
    expect(await reopened.openReadModels()).toBe(true);
    expect(await verifyReadModels(reopened)).toMatchObject({ ok: true });
    expect((await new ReadModels(reopened.readModels!.query).runs({ limit: 10 })).map((run) => run.id)).toEqual(["r1"]);
  });

  it("leaves neither events nor models after a failed commit", async () => {
    const { fixture, ledger } = await setup();
    await ledger.append(readModelRunEvents("r1"));
    const head = await ledger.head();
    const rows = await allRows(ledger.readModels!.rows());
    const invalid = [...readModelRunEvents("R2"), { type: "run.started", project: "p", actor: SERVICE_ACTOR, data: { run_id: 7 } }] as NewEvent[];
    await expect(ledger.append(invalid)).rejects.toMatchObject({ code: "ERR_EVENT_INVALID" });
    const writer = fixture.store.writer();
    writer.send([{ type: "run.started", project: "p", body: '{"actor":{"id":"x","kind":"service"},"at":"t","data":{"run_id":"x"}}' }], true, true);
    await expect(
      writer.commit(() => {
        throw new Error("derivation failed");
      }),
    ).rejects.toThrow("derivation failed");
    expect(await ledger.head()).toEqual(head);
    expect(await ledger.readModels!.status()).toEqual({ version: READ_MODEL_VERSION, seq: head.seq });
    expect(await allRows(ledger.readModels!.rows())).toEqual(rows);
    await ledger.append([started("after")]);
    expect(await verifyReadModels(ledger)).toMatchObject({ ok: true, events: head.seq + 1 });
  });
}

function started(runId: string): NewEvent {
  return { type: "run.started", project: "p", actor: SERVICE_ACTOR, data: { run_id: runId } };
}

const TABLE_ORDER: readonly ReadModelRow["table"][] = ["docs", "runs", "items", "refs"];

/** Rows by table, then by the bytes of their key: the order of a listing sorted by key on every backend. */
export function inKeyOrder(rows: readonly ReadModelRow[]): ReadModelRow[] {
  return [...rows].sort((a, b) => TABLE_ORDER.indexOf(a.table) - TABLE_ORDER.indexOf(b.table) || Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
}

async function allRows(rows: AsyncIterable<ReadModelRow>): Promise<ReadModelRow[]> {
  const all: ReadModelRow[] = [];
  for await (const row of rows) all.push(row);
  return all;
}

/** Every view of the read models against the state the Projector folds from the whole chain. */
async function expectViewsEqualProjector(ledger: Ledger): Promise<void> {
  const state = await new Projector(ledger).rebuild();
  const views = new ReadModels(ledger.readModels!.query);
  const runIds = Object.keys(state.runs);
  expect(runIds.length).toBeGreaterThan(0);
  for (const id of runIds) {
    const run = await views.run(id);
    expect(run).toEqual(state.runs[id]);
    expect(Object.keys(run!.tasks)).toEqual(Object.keys(state.runs[id]!.tasks));
  }
  const newestFirst = Object.values(state.runs)
    .map((run) => run.id)
    .reverse();
  expect((await views.runs({ limit: 100 })).map((run) => run.id)).toEqual(newestFirst);
  const byId = <T>(list: T[], id: (item: T) => string) => [...list].sort((a, b) => (id(a) < id(b) ? -1 : 1));
  const attempts = Object.keys(state.attempts);
  expect(byId(await views.attempts(attempts), (a) => a.attempt_id)).toEqual(byId(Object.values(state.attempts), (a) => a.attempt_id));
  expect(await views.gates()).toEqual(byId(Object.values(state.gates), (g) => `${g.run_id}/${g.gate}`));
  expect(await views.watermarks()).toEqual(byId(Object.values(state.watermarks), (w) => w.name));
  expect(await views.adminEvents()).toEqual(state.adminEvents);
  expect(await views.stopRules()).toEqual(state.stopRules);
  expect(await views.violations()).toEqual(state.violations);
  expect(byId(await views.suggestions(), (s) => s.key)).toEqual(byId(Object.values(state.suggestions), (s) => s.key));
  expect(await views.cached(Object.keys(state.cache))).toEqual(new Map(Object.entries(state.cache)));
  for (const digest of Object.keys(state.artifacts)) expect(await views.artifact(digest)).toEqual(state.artifacts[digest]);
  expect(Object.keys(state.cache).length * Object.keys(state.gates).length * Object.keys(state.watermarks).length * state.stopRules.length).toBeGreaterThan(0);
}
