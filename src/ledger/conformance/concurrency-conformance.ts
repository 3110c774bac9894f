import { expect, it } from "vitest";
import type { NewEvent } from "../ledger-event.js";
import type { LedgerSetup } from "./ledger-setup.js";
import { SERVICE_ACTOR, sampleRunEvents } from "./sample-events.js";

/** Concurrent callers: a bad call dropped alone, group commit keeping each call atomic and contiguous. */
export function concurrencyConformance(setup: LedgerSetup): void {
  it("drops a call whose bad event comes after events already handed to the store, and only that call", async () => {
    const { ledger } = await setup();
    const runs = (prefix: string, n = 300): NewEvent[] =>
      Array.from({ length: n }, (_, i) => ({ type: "run.started", project: "p", actor: SERVICE_ACTOR, data: { run_id: `${prefix}-${i}` } }));
    const invalidLast = [...runs("bad"), { type: "run.started", project: "p", actor: SERVICE_ACTOR, data: { run_id: 7 } }] as unknown as NewEvent[];
    const loneSurrogateLast = [...runs("lone"), { type: "run.started", project: "p", actor: SERVICE_ACTOR, data: { run_id: "x\ud800" } }] as NewEvent[];
    const [before, invalid, lone, after] = await Promise.allSettled([
      ledger.append(runs("a")),
      ledger.append(invalidLast),
      ledger.append(loneSurrogateLast),
      ledger.append(runs("b")),
    ]);
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
    const seqs = results
      .flat()
      .map((e) => e.seq)
      .sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    for (const batch of results) expect(batch.at(-1)!.seq - batch[0]!.seq).toBe(batch.length - 1);
    expect(await ledger.verify()).toMatchObject({ ok: true, checked: seqs.length });
  });
}
