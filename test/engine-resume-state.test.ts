import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../src/contracts/common.js";
import { madeAsOf, resumeState, waitingAttempt } from "../src/engine/resume-state.js";
import { runPipeline } from "../src/engine/run-pipeline.js";
import { Projector } from "../src/ledger/projections/projector.js";
import type { ProjectionState } from "../src/ledger/projections/projection-state.js";
import { defineOperator } from "../src/operators/define-operator.js";
import { definePipeline } from "../src/pipelines/define-pipeline.js";
import { initWorkspace, type Workspace } from "../src/workspace/workspace.js";

const ENGINE: Actor = { kind: "service", id: "resume-state-test" };
const PROJECT = "resume-state";
let dir: string;
let ws: Workspace;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "runledger-resume-state-"));
  ws = await initWorkspace(join(dir, "ws"), ENGINE);
});
afterAll(async () => {
  await ws.close();
  rmSync(dir, { recursive: true, force: true });
});

const deps = () => ({ ledger: ws.ledger, artifacts: ws.artifacts, actor: ENGINE, workRoot: join(dir, "work") });
const read = () => new Projector(ws.ledger, { project: PROJECT }).catchUp();

let letGo: () => void = () => undefined;
const held = new Promise<void>((resolve) => (letGo = resolve));

const writes = (name: string) =>
  defineOperator({
    id: `writes-${name}`,
    version: "1",
    outputs: ["outputs/x.txt"],
    checks: [{ nonEmpty: "outputs/x.txt" }],
    timeout: "30s",
    run: (ctx) => writeFileSync(join(ctx.outputsDir, "x.txt"), name),
  });
const throws = defineOperator({
  id: "throws",
  version: "1",
  outputs: ["outputs/x.txt"],
  checks: [{ nonEmpty: "outputs/x.txt" }],
  timeout: "30s",
  run: () => {
    throw new Error("broken on purpose");
  },
});
const waits = defineOperator({
  id: "waits",
  version: "1",
  outputs: ["outputs/x.txt"],
  checks: [{ nonEmpty: "outputs/x.txt" }],
  timeout: "30s",
  run: async (ctx) => {
    await held;
    writeFileSync(join(ctx.outputsDir, "x.txt"), "late");
  },
});
const asks = defineOperator({
  id: "asks",
  version: "1",
  steps: ["write the answer"],
  outputs: ["outputs/answer.txt"],
  checks: [{ nonEmpty: "outputs/answer.txt" }],
  timeout: "1h",
});

/** ok passes, broken fails for good, after needs broken, hang is in flight while the state is read, ask waits for a person. */
const pipeline = definePipeline({
  name: "resumable",
  tasks: {
    ok: { operator: writes("ok") },
    broken: { operator: throws, retries: 0 },
    after: { operator: writes("after"), needs: ["broken"] },
    hang: { operator: waits },
    ask: { operator: asks },
  },
});

async function until(probe: (state: ProjectionState) => boolean): Promise<ProjectionState> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const state = await read();
    if (probe(state)) return state;
    if (Date.now() > deadline) throw new Error("the run did not get there in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("resumeState: a stopped run as its events tell it", () => {
  it("keeps what passed (with its outputs and as_of) and what failed for good, leaves in-flight and waiting tasks to run, and counts every task's attempts", async () => {
    const asOf = new Date("2026-02-01T00:00:00Z");
    const running = runPipeline(pipeline, deps(), { project: PROJECT, concurrency: 4, asOf });
    const settledAround = (state: ProjectionState) => {
      const run = Object.values(state.runs).find((r) => r.pipeline === "resumable");
      return (
        run !== undefined &&
        ["ok", "after", "ask"].every((t) => run.tasks[t]?.outcome !== "PENDING" && run.tasks[t]?.outcome !== "RUNNING") &&
        run.tasks["hang"]?.outcome === "RUNNING"
      );
    };
    const past = await until(settledAround);
    const runId = Object.values(past.runs).find((r) => r.pipeline === "resumable")!.id;
    const resumed = resumeState(past, runId, pipeline, undefined);
    letGo();
    expect(await running).toBe(runId);

    const ok = resumed.states.get("ok");
    expect(ok).toMatchObject({ passed: true, result: "PASS", asOf: asOf.getTime() });
    expect(ok?.passed === true && ok.outputs.map((o) => o.path)).toEqual(["outputs/x.txt"]);
    expect(resumed.states.get("broken")).toEqual({ passed: false });
    expect(resumed.states.get("after")).toEqual({ passed: false });
    expect(resumed.states.has("hang")).toBe(false);
    expect(resumed.states.has("ask")).toBe(false);
    expect(Object.fromEntries(resumed.prior)).toEqual({
      ok: { numbered: 1, failed: 0 },
      broken: { numbered: 1, failed: 1 },
      after: { numbered: 0, failed: 0 },
      hang: { numbered: 1, failed: 0 },
      ask: { numbered: 1, failed: 0 },
    });
    expect(resumed.inFlight.map((f) => [f.task, f.attempt.status])).toEqual([["hang", "running"]]);
    expect(resumed.wasPaused).toBe(false);
    expect(waitingAttempt(past, runId, "ask")?.status).toBe("waiting");
    expect(waitingAttempt(past, runId, "ok")).toBeUndefined();
  });

  it("a task reused from the cache is as old as the run that made its outputs", async () => {
    const first = new Date("2026-03-01T00:00:00Z");
    const later = new Date("2026-03-05T00:00:00Z");
    const simple = definePipeline({ name: "cached", tasks: { made: { operator: writes("made") } } });
    await runPipeline(simple, deps(), { project: PROJECT, asOf: first });
    const second = await runPipeline(simple, deps(), { project: PROJECT, asOf: later });
    const past = await read();
    const made = resumeState(past, second, simple, undefined).states.get("made");
    expect(made).toMatchObject({ passed: true, asOf: first.getTime() });
    const reused = past.attempts[past.runs[second]!.tasks["made"]!.attempts[0]!]!;
    expect(reused.source_attempt_id).not.toBeNull();
    expect(madeAsOf(past, reused, later)).toBe(first.getTime());
  });
});
