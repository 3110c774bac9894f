import { expect, it } from "vitest";
import { Ledger } from "../ledger.js";
import { CONFORMANCE_CLOCK, type LedgerSetup } from "./ledger-setup.js";
import { sampleRunEvents } from "./sample-events.js";

/** A second writer continuing the one chain; every event kept across a restart. */
export function durabilityConformance(setup: LedgerSetup): void {
  it("a second writer on the same storage continues the one chain", async () => {
    const { fixture, ledger } = await setup();
    const other = new Ledger(await fixture.reopen(), { clock: CONFORMANCE_CLOCK });
    await Promise.all([ledger.append(sampleRunEvents("x")), other.append(sampleRunEvents("y")), ledger.append(sampleRunEvents("z"))]);
    await other.close();
    expect(await ledger.verify()).toMatchObject({ ok: true, checked: 36 });
  });

  it("keeps every event across a restart", async () => {
    const { fixture, ledger } = await setup();
    const stored = await ledger.append(sampleRunEvents("r"));
    await ledger.close();
    const reopened = new Ledger(await fixture.reopen(), { clock: CONFORMANCE_CLOCK });
    expect(await reopened.head()).toEqual({ seq: stored.length, hash: stored.at(-1)?.hash });
    expect((await reopened.verify()).ok).toBe(true);
    await reopened.close();
  });
}
