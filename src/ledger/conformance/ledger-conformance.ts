import { afterEach, describe, expect, it } from "vitest";
import { fixedClock } from "../../core/clock.js";
import { ERROR_CANON } from "../../core/errors.js";
import { GENESIS_HASH, hashEvent, type StoredRow } from "../hash-chain.js";
import { Ledger } from "../ledger.js";
import type { NewEvent } from "../ledger-event.js";
import type { LedgerStore } from "../ledger-store.js";
import { Projector } from "../projections/projector.js";
import { HUMAN_ACTOR, SERVICE_ACTOR, sampleRunEvents } from "./sample-events.js";

/** One isolated, empty ledger storage, with raw access that bypasses the port (to play the attacker). */
export interface LedgerFixture {
  readonly store: LedgerStore;
  /** Opens another store on the same storage: a second writer, or the same ledger after a restart. */
  reopen(): Promise<LedgerStore>;
  /** Every stored row, in storage order, read without the port. */
  rawRows(): Promise<StoredRow[]>;
  /** Replaces every stored row, bypassing append-only guards; the recorded head is left as it is. */
  rawOverwrite(rows: readonly StoredRow[]): Promise<void>;
  destroy(): Promise<void>;
}

export interface LedgerConformanceFactory {
  open(): Promise<LedgerFixture>;
}

const CLOCK = fixedClock("2026-03-04T05:06:07.089Z");
const fragment = (code: keyof typeof ERROR_CANON) => ERROR_CANON[code].fragment;

/** The suite every LedgerStore passes. Call it inside a test file, once per backend. */
export function runLedgerConformance(name: string, factory: LedgerConformanceFactory): void {
  describe(`ledger conformance: ${name}`, () => {
    const open: LedgerFixture[] = [];
    const setup = async () => {
      const fixture = await factory.open();
      open.push(fixture);
      return { fixture, ledger: new Ledger(fixture.store, { clock: CLOCK }) };
    };
    afterEach(async () => {
      for (const fixture of open.splice(0)) await fixture.destroy();
    });

    it("starts empty at the genesis hash and verifies", async () => {
      const { ledger } = await setup();
      expect(await ledger.head()).toEqual({ seq: 0, hash: GENESIS_HASH });
      expect(await ledger.verify()).toMatchObject({ ok: true, checked: 0 });
    });

    it("numbers, stamps and chains appended events, and reads them back", async () => {
      const { ledger } = await setup();
      const events = sampleRunEvents("r1");
      const stored = await ledger.append(events);
      expect(stored.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      expect(stored[0]?.prev).toBe(GENESIS_HASH);
      for (let i = 1; i < stored.length; i++) expect(stored[i]?.prev).toBe(stored[i - 1]?.hash);
      const read = [];
      for await (const event of ledger.read()) read.push(event);
      expect(read).toEqual(stored);
      expect(read[0]).toMatchObject({ type: "run.requested", project: "default", actor: HUMAN_ACTOR, at: "2026-03-04T05:06:07.089Z" });
      expect(await ledger.head()).toEqual({ seq: stored.length, hash: stored.at(-1)?.hash });
    });

    it("hashes the same event to the same digest on every backend", async () => {
      const { ledger } = await setup();
      const event = await ledger.appendOne({ type: "run.started", project: "p1", actor: SERVICE_ACTOR, data: { run_id: "r" } });
      const body = '{"actor":{"id":"runledger-engine","kind":"service"},"at":"2026-03-04T05:06:07.089Z","data":{"run_id":"r"}}';
      expect(event.hash).toBe(hashEvent(1, GENESIS_HASH, "p1", "run.started", body));
      // Golden value: `printf 'runledger.event.v1\n1\n<genesis>\np1\nrun.started\n<body>' | sha256sum`.
      expect(event.hash).toBe("sha256:752e4b5b30ee668d514e6225e7c48b0008e3b640c17a99e79d424856fc603728");
    });

    it("rejects a batch with invalid events whole, listing every problem", async () => {
      const { ledger } = await setup();
      const bad = [
        { type: "run.started", project: "ok", actor: SERVICE_ACTOR, data: { run_id: "r" } },
        { type: "run.exploded", project: "ok", actor: SERVICE_ACTOR, data: {} },
        { type: "run.started", project: "bad project!", actor: { kind: "robot", id: "" }, data: { run_id: 7 } },
      ] as unknown as NewEvent[];
      const error = await ledger.append(bad).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "ERR_EVENT_INVALID" });
      expect((error as Error).message).toContain(fragment("ERR_EVENT_INVALID"));
      const paths = (error as { issues: { path: unknown[] }[] }).issues.map((i) => i.path.join("."));
      expect(paths).toEqual(expect.arrayContaining(["1.type", "2.project", "2.actor.kind", "2.actor.id", "2.data.run_id"]));
      expect(await ledger.head()).toEqual({ seq: 0, hash: GENESIS_HASH });
    });

    it("refuses values that have no canonical JSON", async () => {
      const { ledger } = await setup();
      const event = { type: "check.evaluated", project: "p", actor: SERVICE_ACTOR, data: { attempt_id: "a", name: "n", result: "PASS", evidence: { ratio: Number.NaN } } } as NewEvent;
      await expect(ledger.append([event])).rejects.toMatchObject({ code: "ERR_CANONICAL_JSON", message: expect.stringContaining(fragment("ERR_CANONICAL_JSON")) });
      expect((await ledger.head()).seq).toBe(0);
    });

    it("drops a call whose bad event comes after events already handed to the store, and only that call", async () => {
      const { ledger } = await setup();
      const runs = (prefix: string, n = 300): NewEvent[] =>
        Array.from({ length: n }, (_, i) => ({ type: "run.started", project: "p", actor: SERVICE_ACTOR, data: { run_id: `${prefix}-${i}` } }));
      const invalidLast = [...runs("bad"), { type: "run.started", project: "p", actor: SERVICE_ACTOR, data: { run_id: 7 } }] as unknown as NewEvent[];
      const loneSurrogateLast = [...runs("lone"), { type: "run.started", project: "p", actor: SERVICE_ACTOR, data: { run_id: "x\ud800" } }] as NewEvent[];
      const [before, invalid, lone, after] = await Promise.allSettled([ledger.append(runs("a")), ledger.append(invalidLast), ledger.append(loneSurrogateLast), ledger.append(runs("b"))]);
      expect(invalid).toMatchObject({ status: "rejected", reason: { code: "ERR_EVENT_INVALID", issues: [{ path: [300, "data", "run_id"] }] } });
      expect(lone).toMatchObject({ status: "rejected", reason: { code: "ERR_CANONICAL_JSON" } });
      expect(before.status === "fulfilled" && before.value.map((e) => e.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
      expect(after.status === "fulfilled" && after.value.map((e) => e.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i + 301));
      const ids = [];
      for await (const event of ledger.read()) ids.push(event.type === "run.started" ? event.data.run_id : "");
      expect(ids).toEqual([...runs("a"), ...runs("b")].map((e) => (e.data as { run_id: string }).run_id));
      expect(await ledger.verify()).toMatchObject({ ok: true, checked: 600 });
    });

    it("group-commits concurrent appends: each call atomic and contiguous, no seq lost or repeated", async () => {
      const { ledger } = await setup();
      const calls = Array.from({ length: 50 }, (_, i) => ledger.append(sampleRunEvents(`run-${i}`, `p${i % 3}`)));
      const results = await Promise.all(calls);
      const seqs = results.flat().map((e) => e.seq).sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
      for (const batch of results) expect(batch.at(-1)!.seq - batch[0]!.seq).toBe(batch.length - 1);
      expect(await ledger.verify()).toMatchObject({ ok: true, checked: seqs.length });
    });

    it("reads by project, type and position, across pages", async () => {
      const { ledger } = await setup();
      await ledger.append([...sampleRunEvents("a", "alpha"), ...sampleRunEvents("b", "beta"), ...sampleRunEvents("c", "alpha")]);
      const collect = async (query: Parameters<Ledger["read"]>[0]) => {
        const out = [];
        for await (const e of ledger.read(query)) out.push(e);
        return out;
      };
      const alpha = await collect({ project: "alpha", pageSize: 5 });
      expect(alpha).toHaveLength(24);
      expect(alpha.every((e) => e.project === "alpha")).toBe(true);
      const finished = await collect({ types: ["run.finished", "run.started"], pageSize: 2 });
      expect(finished.map((e) => e.type)).toEqual(["run.started", "run.finished", "run.started", "run.finished", "run.started", "run.finished"]);
      expect((await collect({ afterSeq: 30 })).map((e) => e.seq)).toEqual([31, 32, 33, 34, 35, 36]);
    });

    it("a second writer on the same storage continues the one chain", async () => {
      const { fixture, ledger } = await setup();
      const other = new Ledger(await fixture.reopen(), { clock: CLOCK });
      await Promise.all([ledger.append(sampleRunEvents("x")), other.append(sampleRunEvents("y")), ledger.append(sampleRunEvents("z"))]);
      await other.close();
      expect(await ledger.verify()).toMatchObject({ ok: true, checked: 36 });
    });

    it("keeps every event across a restart", async () => {
      const { fixture, ledger } = await setup();
      const stored = await ledger.append(sampleRunEvents("r"));
      await ledger.close();
      const reopened = new Ledger(await fixture.reopen(), { clock: CLOCK });
      expect(await reopened.head()).toEqual({ seq: stored.length, hash: stored.at(-1)?.hash });
      expect((await reopened.verify()).ok).toBe(true);
      await reopened.close();
    });

    describe("detects tampering", () => {
      const tampered = async (mutate: (rows: StoredRow[]) => StoredRow[]) => {
        const { fixture, ledger } = await setup();
        await ledger.append([...sampleRunEvents("r1"), ...sampleRunEvents("r2")]);
        await fixture.rawOverwrite(mutate(await fixture.rawRows()));
        return ledger;
      };
      const at = (rows: StoredRow[], seq: number) => rows.findIndex((r) => r.seq === seq);

      it("a changed body", async () => {
        const ledger = await tampered((rows) => rows.map((r) => (r.seq === 7 ? { ...r, body: r.body.replace("PASS", "FAIL") } : r)));
        expect(await ledger.verify()).toMatchObject({ ok: false, broken: { seq: 7, reason: "hash-mismatch" } });
        await expect(ledger.assertIntact()).rejects.toMatchObject({ code: "ERR_LEDGER_TAMPERED", message: expect.stringContaining("event 7") });
      });
      it("a changed project or type column", async () => {
        const ledger = await tampered((rows) => rows.map((r) => (r.seq === 3 ? { ...r, project: "other" } : r)));
        expect(await ledger.verify()).toMatchObject({ ok: false, broken: { seq: 3 } });
      });
      it("a deleted event", async () => {
        const ledger = await tampered((rows) => rows.filter((r) => r.seq !== 5));
        expect(await ledger.verify()).toMatchObject({ ok: false, broken: { seq: 5, reason: "sequence-gap" } });
      });
      it("a deleted event with the later ones renumbered", async () => {
        const ledger = await tampered((rows) => rows.filter((r) => r.seq !== 5).map((r) => (r.seq > 5 ? { ...r, seq: r.seq - 1 } : r)));
        // A backend that stores prev sees it disagree; one that derives prev sees the hash disagree.
        expect(await ledger.verify()).toMatchObject({ ok: false, broken: { seq: 5, reason: expect.stringMatching(/^(prev|hash)-mismatch$/) } });
      });
      it("an inserted event", async () => {
        const ledger = await tampered((rows) => {
          const copy = { ...rows[at(rows, 4)]!, seq: 5 };
          return [...rows.filter((r) => r.seq <= 4), copy, ...rows.filter((r) => r.seq > 4).map((r) => ({ ...r, seq: r.seq + 1 }))];
        });
        expect(await ledger.verify()).toMatchObject({ ok: false, broken: { seq: 5 } });
      });
      it("two events swapped", async () => {
        const ledger = await tampered((rows) => rows.map((r) => (r.seq === 8 ? { ...r, seq: 9 } : r.seq === 9 ? { ...r, seq: 8 } : r)));
        expect(await ledger.verify()).toMatchObject({ ok: false, broken: { seq: 8 } });
      });
      it("a truncated tail", async () => {
        const ledger = await tampered((rows) => rows.filter((r) => r.seq <= 20));
        expect(await ledger.verify()).toMatchObject({ ok: false, broken: { seq: 21, reason: "head-mismatch" } });
      });
    });

    it("derives projections from events only; a rebuild equals incremental catch-up", async () => {
      const { ledger } = await setup();
      const incremental = new Projector(ledger);
      for (const runId of ["r1", "r2", "r3"]) {
        await ledger.append(sampleRunEvents(runId));
        await incremental.catchUp();
      }
      const rebuilt = await new Projector(ledger).rebuild();
      expect(rebuilt).toEqual(incremental.state);
      const run = rebuilt.runs["r2"]!;
      expect(run).toMatchObject({ status: "degraded", result: "FAIL", next: "fix the report input", as_of: "2026-01-02T00:00:00.000Z" });
      expect(run.tasks["numbers"]).toMatchObject({ outcome: "SUCCESS", attempts: ["r2-a1", "r2-a2"] });
      expect(run.tasks["total"]).toMatchObject({ outcome: "SUCCESS", reason: "reused" });
      expect(run.tasks["report"]).toMatchObject({ outcome: "SKIPPED", reason: "upstream-not-passed" });
      expect(rebuilt.attempts["r2-a1"]).toMatchObject({ status: "failed", error_code: "ERR_TIMEOUT", retryable: true, job_id: "r2-numbers" });
      expect(rebuilt.attempts["r2-a2"]).toMatchObject({ status: "succeeded", checks: [{ name: "nonEmpty", result: "PASS" }], correlation_ids: { run_id: "r2", task: "numbers", project: "default" } });
      expect(Object.keys(rebuilt.artifacts)).toHaveLength(1);
      expect(rebuilt.adminEvents).toHaveLength(3);
      expect(rebuilt.adminEvents[0]).toMatchObject({ action_type: "pause", actor: HUMAN_ACTOR, reason: "maintenance window", after: { paused: true } });
    });
  });
}
