import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "../src/contracts/common.js";
import { completeTask, runPipeline } from "../src/engine/index.js";
import type { Ledger } from "../src/ledger/ledger.js";
import { Projector } from "../src/ledger/projections/projector.js";
import { loadPipelineYaml } from "../src/pipelines/load-yaml.js";
import { EXAMPLE_PIPELINE } from "../src/workspace/example-pipeline.js";
import { engineDeps, initWorkspace, type Workspace } from "../src/workspace/workspace.js";

// The engine reads what ran before from the read models stored beside the events: starting,
// reusing and going on with a run read no event of the ledger, however long its history.
const ACTOR: Actor = { kind: "service", id: "engine-reads-test" };
let dir: string;
let ws: Workspace;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "runledger-engine-reads-"));
  ws = await initWorkspace(join(dir, "ws"), ACTOR);
});
afterAll(async () => {
  await ws.close();
  rmSync(dir, { recursive: true, force: true });
});

// numbers, then total (their sum): the pipeline `runledger init` writes.
const CHAIN = EXAMPLE_PIPELINE;

const SURVEY = `
pipeline: survey
tasks:
  prep:
    run: "echo ada > outputs/people.txt"
    outputs: [outputs/people.txt]
    checks: [{ nonEmpty: outputs/people.txt }]
  survey:
    needs: [prep]
    manual: { by: human, steps: ["ask everyone on inputs/prep/people.txt"] }
    outputs: [outputs/answers.txt]
    checks: [{ nonEmpty: outputs/answers.txt }]
    timeout: 30m
`;

/** Counts the events `ledger.read` yields while `work` runs: the cost of replaying history. */
async function eventsReadDuring<T>(ledger: Ledger, work: () => Promise<T>): Promise<{ result: T; events: number }> {
  const read = ledger.read.bind(ledger);
  let events = 0;
  const spy = vi.spyOn(ledger, "read").mockImplementation(async function* (query) {
    for await (const event of read(query)) {
      events++;
      yield event;
    }
  });
  try {
    return { result: await work(), events };
  } finally {
    spy.mockRestore();
  }
}

const pipeline = (yaml: string) => loadPipelineYaml(yaml, join(dir, "pipeline.yaml"));

describe("the engine's reads on a workspace with history", () => {
  it("starts a cached re-run reading no event, and reuses every passed attempt", async () => {
    for (let run = 0; run < 3; run++) await runPipeline(pipeline(CHAIN), engineDeps(ws, ACTOR), { project: "reads" });
    // A ledger without stored models would replay it all here: the check that the spy sees reads.
    const { events: replayed } = await eventsReadDuring(ws.ledger, () => new Projector(ws.ledger).catchUp());
    expect(replayed).toBeGreaterThan(20);
    const { result: runId, events } = await eventsReadDuring(ws.ledger, () => runPipeline(pipeline(CHAIN), engineDeps(ws, ACTOR), { project: "reads" }));
    expect(events).toBe(0);
    const state = await new Projector(ws.ledger).catchUp();
    const run = state.runs[runId];
    expect(run?.status).toBe("succeeded");
    for (const task of ["numbers", "total"]) {
      const attempt = state.attempts[run?.tasks[task]?.attempts[0] ?? ""];
      expect(attempt?.status).toBe("reused");
      const source = state.attempts[attempt?.source_attempt_id ?? ""];
      expect(source?.status).toBe("succeeded");
      expect(source?.correlation_ids.run_id).not.toBe(runId);
    }
  });

  it("completes a waiting manual task and goes on with its run reading no event", async () => {
    const runId = await runPipeline(pipeline(SURVEY), engineDeps(ws, ACTOR), { project: "reads" });
    expect((await new Projector(ws.ledger).catchUp()).runs[runId]?.status).toBe("waiting");
    const answers = join(dir, "answers.txt");
    writeFileSync(answers, "ada: yes\n");
    const { events } = await eventsReadDuring(ws.ledger, () =>
      completeTask(pipeline(SURVEY), engineDeps(ws, ACTOR), runId, { task: "survey", files: [answers], result: "PASS" }, { project: "reads" }),
    );
    expect(events).toBe(0);
    const state = await new Projector(ws.ledger).catchUp();
    expect(state.runs[runId]?.status).toBe("succeeded");
    // prep passed before the run waited: it kept its one attempt.
    expect(state.runs[runId]?.tasks["prep"]?.attempts).toHaveLength(1);
  });

  it("reuses only the run's project's attempts in a ledger that projects share", async () => {
    const other = await runPipeline(pipeline(CHAIN), engineDeps(ws, ACTOR), { project: "other" });
    const again = await runPipeline(pipeline(CHAIN), engineDeps(ws, ACTOR), { project: "other" });
    const state = await new Projector(ws.ledger).catchUp();
    const first = state.attempts[state.runs[other]?.tasks["total"]?.attempts[0] ?? ""];
    expect(first?.status).toBe("succeeded");
    expect(state.attempts[state.runs[again]?.tasks["total"]?.attempts[0] ?? ""]).toMatchObject({ status: "reused", source_attempt_id: first?.attempt_id });
  });
});
