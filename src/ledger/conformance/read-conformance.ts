import { expect, it } from "vitest";
import type { Ledger } from "../ledger.js";
import type { LedgerSetup } from "./ledger-setup.js";
import { sampleRunEvents } from "./sample-events.js";

/** Reading by project, type and position, across pages. */
export function readConformance(setup: LedgerSetup): void {
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
}
