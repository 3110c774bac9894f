import { describe, expect, it } from "vitest";
import type { StoredRow } from "../hash-chain.js";
import type { LedgerSetup } from "./ledger-setup.js";
import { sampleRunEvents } from "./sample-events.js";

/** Tampering that bypasses the port (a changed, deleted, inserted, swapped or truncated row) found by verify. */
export function tamperConformance(setup: LedgerSetup): void {
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
}
