import { fixedClock } from "../../core/clock.js";
import type { StoredRow } from "../hash-chain.js";
import type { Ledger } from "../ledger.js";
import type { LedgerStore } from "../ledger-store.js";

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

/** Opens a fresh fixture and a Ledger over it on the suite's fixed clock; the suite destroys it after the test. */
export type LedgerSetup = () => Promise<{ readonly fixture: LedgerFixture; readonly ledger: Ledger }>;

/** The suite's clock: every event is stamped with this instant, so golden hashes hold. */
export const CONFORMANCE_CLOCK = fixedClock("2026-03-04T05:06:07.089Z");
