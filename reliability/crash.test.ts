import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  blobBytes,
  exited,
  HeadWatcher,
  initWorkspace,
  processesWithEnv,
  projectedState,
  runledger,
  sleep,
  startEngine,
  writePipeline,
} from "./support/engine.js";
import { reportFigures } from "./support/figures.js";
import { lanePipeline } from "./support/pipelines.js";
import { storedReadModels } from "./support/read-models.js";
import { Prng } from "./support/prng.js";
import { SCALE, SEED } from "./support/scale.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "runledger-rel-crash-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CONCURRENCY = "4";

/** Each task's passed outputs, path and digest, for comparing runs. */
async function outputsByTask(root: string, runId: string): Promise<Map<string, { path: string; digest: string }[]>> {
  const state = await projectedState(root);
  const run = state.runs[runId];
  if (!run) throw new Error(`run ${runId} not found`);
  const outputs = new Map<string, { path: string; digest: string }[]>();
  for (const [task, view] of Object.entries(run.tasks)) {
    const passed = view.attempts.map((id) => state.attempts[id]).filter((a) => a?.result === "PASS");
    outputs.set(
      task,
      passed.flatMap((a) => a?.outputs.map((o) => ({ path: o.path, digest: o.digest })) ?? []),
    );
  }
  return outputs;
}

describe("crash: kill -9 of the engine at random points", () => {
  it(`a ${SCALE.crashTasks}-task pipeline killed at ${SCALE.killPoints} seeded points resumes to the uninterrupted run's bytes, one PASS per task`, async () => {
    const yaml = lanePipeline("crashy", SCALE.crashTasks);

    // The reference: the same pipeline run once without interruption, in its own workspace.
    const reference = initWorkspace(dir, "reference");
    writePipeline(reference, "p.yaml", yaml);
    const clean = runledger(["run", "p.yaml", "--concurrency", CONCURRENCY, "--json"], { cwd: reference });
    expect(clean.code, clean.stderr).toBe(0);
    const referenceRun = (JSON.parse(clean.stdout) as { run: { id: string } }).run.id;
    const expected = await outputsByTask(reference, referenceRun);
    expect(expected.size).toBe(SCALE.crashTasks);

    const root = initWorkspace(dir, "crashed");
    writePipeline(root, "p.yaml", yaml);
    const head = new HeadWatcher(join(root, ".runledger", "ledger.db"));
    const prng = new Prng(SEED);
    const points: { at_seq: number; after_ms?: number }[] = [];
    let runId: string | undefined;
    let engine = startEngine(root, ["run", "p.yaml", "--concurrency", CONCURRENCY, "--json"]);
    let finishedEarly = false;
    try {
      while (points.length < SCALE.killPoints) {
        const byTime = prng.next() < 0.1;
        const target = head.seq() + prng.int(1, 40);
        const delayMs = prng.int(0, byTime ? 150 : 15);
        let done = false;
        void exited(engine).then(() => (done = true));
        if (byTime) await sleep(delayMs);
        else {
          while (!done && head.seq() < target) await sleep(5);
          await sleep(delayMs);
        }
        if (done) {
          finishedEarly = true;
          break;
        }
        engine.kill("SIGKILL");
        await exited(engine);
        points.push(byTime ? { at_seq: head.seq(), after_ms: delayMs } : { at_seq: head.seq() });
        runId ??= Object.keys((await projectedState(root)).runs)[0];
        // A kill before run.requested was recorded leaves no run: start it again.
        engine = startEngine(
          root,
          runId ? ["resume", runId, "--concurrency", CONCURRENCY, "--json"] : ["run", "p.yaml", "--concurrency", CONCURRENCY, "--json"],
        );
      }
      const last = await exited(engine);
      expect(finishedEarly, `the run finished after only ${points.length} kills (seed ${SEED})`).toBe(false);
      expect(last, `the last engine failed (seed ${SEED})`).toBe(0);
    } finally {
      if (engine.exitCode === null && engine.signalCode === null) engine.kill("SIGKILL");
      head.close();
    }
    if (!runId) throw new Error("no run was recorded");

    const state = await projectedState(root);
    const run = state.runs[runId];
    expect(run).toMatchObject({ status: "succeeded", result: "PASS" });
    let abandoned = 0;
    const badTasks: string[] = [];
    for (const [task, view] of Object.entries(run?.tasks ?? {})) {
      const attempts = view.attempts.map((id) => state.attempts[id]);
      abandoned += attempts.filter((a) => a?.status === "abandoned").length;
      if (attempts.filter((a) => a?.result === "PASS").length !== 1 || attempts.some((a) => a?.status === "failed" || a?.status === "running"))
        badTasks.push(task);
    }
    expect(badTasks, `tasks without exactly one PASS attempt (seed ${SEED})`).toEqual([]);

    const actual = await outputsByTask(root, runId);
    expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));
    // Same digests; and the stored bytes themselves, read back and re-hashed by the store.
    let compared = 0;
    for (const [task, outputs] of actual) {
      for (const [i, output] of outputs.entries()) {
        const want = expected.get(task)?.[i];
        expect((await blobBytes(root, output.digest)).equals(await blobBytes(reference, want?.digest ?? ""))).toBe(true);
        compared++;
      }
    }
    // Written in each commit's transaction, the read models survive every kill current, with no rebuild.
    const models = await storedReadModels(root);
    expect(models.seq).toBe(models.head);
    expect(models.report).toMatchObject({ ok: true, events: models.head });
    const verify = runledger(["verify"], { cwd: root });
    expect(verify.code, verify.stderr).toBe(0);
    expect(processesWithEnv("RUNLEDGER_RUN_ID", runId)).toEqual([]);
    reportFigures("crash", {
      tasks: SCALE.crashTasks,
      kill_points: points.length,
      killed_by_time: points.filter((p) => p.after_ms !== undefined).length,
      abandoned_attempts: abandoned,
      outputs_compared: compared,
      events: state.seq,
      kill_seqs: points.map((p) => p.at_seq),
    });
  });
});
