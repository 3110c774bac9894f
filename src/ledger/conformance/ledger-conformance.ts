import { afterEach, describe } from "vitest";
import { Ledger } from "../ledger.js";
import { appendConformance } from "./append-conformance.js";
import { concurrencyConformance } from "./concurrency-conformance.js";
import { durabilityConformance } from "./durability-conformance.js";
import { CONFORMANCE_CLOCK, type LedgerConformanceFactory, type LedgerFixture, type LedgerSetup } from "./ledger-setup.js";
import { projectionConformance } from "./projection-conformance.js";
import { readConformance } from "./read-conformance.js";
import { tamperConformance } from "./tamper-conformance.js";

export type { LedgerConformanceFactory, LedgerFixture } from "./ledger-setup.js";

/** The suite every LedgerStore passes. Call it inside a test file, once per backend. */
export function runLedgerConformance(name: string, factory: LedgerConformanceFactory): void {
  describe(`ledger conformance: ${name}`, () => {
    const open: LedgerFixture[] = [];
    const setup: LedgerSetup = async () => {
      const fixture = await factory.open();
      open.push(fixture);
      return { fixture, ledger: new Ledger(fixture.store, { clock: CONFORMANCE_CLOCK }) };
    };
    afterEach(async () => {
      for (const fixture of open.splice(0)) await fixture.destroy();
    });
    appendConformance(setup);
    concurrencyConformance(setup);
    readConformance(setup);
    durabilityConformance(setup);
    tamperConformance(setup);
    projectionConformance(setup);
  });
}
