import { expect, it } from "vitest";
import { Projector } from "../projections/projector.js";
import type { LedgerSetup } from "./ledger-setup.js";
import { HUMAN_ACTOR, sampleRunEvents } from "./sample-events.js";

/** Projections derived from events only: a rebuild equals incremental catch-up. */
export function projectionConformance(setup: LedgerSetup): void {
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
    expect(rebuilt.attempts["r2-a2"]).toMatchObject({
      status: "succeeded",
      checks: [{ name: "nonEmpty", result: "PASS" }],
      correlation_ids: { run_id: "r2", task: "numbers", project: "default" },
    });
    expect(Object.keys(rebuilt.artifacts)).toHaveLength(1);
    expect(rebuilt.adminEvents).toHaveLength(3);
    expect(rebuilt.adminEvents[0]).toMatchObject({ action_type: "pause", actor: HUMAN_ACTOR, reason: "maintenance window", after: { paused: true } });
  });
}
