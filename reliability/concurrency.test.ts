import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isRunledgerError } from "../src/core/errors.js";
import { Ledger } from "../src/ledger/ledger.js";
import { SqliteLedgerStore } from "../src/ledger/sqlite/sqlite-ledger-store.js";
import { lockRun } from "../src/workspace/run-lock.js";
import { readyAppenders } from "../test/support/appenders.js";
import { exited, HeadWatcher, initWorkspace, projectedState, runledger, sleep, startEngine, writePipeline } from "./support/engine.js";
import { reportFigures } from "./support/figures.js";
import { lanePipeline } from "./support/pipelines.js";
import { storedReadModels } from "./support/read-models.js";
import { Prng } from "./support/prng.js";
import { SCALE, SEED } from "./support/scale.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "runledger-rel-conc-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A pid that is not running on this machine: a lock it holds is stale. */
const DEAD_PID = 2 ** 22 + 4321;

describe("concurrency", () => {
  it(`the run lock: contenders for a stale lock never both win (${SCALE.lockRaces * 20} seeded races)`, async () => {
    const prng = new Prng(SEED ^ 0x10c);
    const locks = join(dir, "locks");
    mkdirSync(locks, { recursive: true });
    let doubleWins = 0;
    let noWins = 0;
    let races = 0;
    for (let round = 0; round < SCALE.lockRaces * 20; round++) {
      const runId = `race-${round}`;
      writeFileSync(join(locks, `${runId}.lock`), JSON.stringify({ pid: DEAD_PID, host: hostname() }));
      const contenders = prng.int(2, 6);
      const outcomes = await Promise.allSettled(Array.from({ length: contenders }, () => lockRun(locks, runId)));
      const wins = outcomes.filter((o) => o.status === "fulfilled");
      for (const lost of outcomes.filter((o) => o.status === "rejected")) {
        expect(isRunledgerError(lost.reason) && lost.reason.code).toBe("ERR_RUN_LOCKED");
      }
      if (wins.length > 1) doubleWins++;
      if (wins.length === 0) noWins++;
      races++;
      for (const win of wins) await (win as PromiseFulfilledResult<() => Promise<void>>).value();
    }
    reportFigures("concurrency.lock", { races, double_wins: doubleWins, no_winner: noWins });
    expect(doubleWins, `races won by more than one contender (seed ${SEED})`).toBe(0);
    expect(noWins, `races nobody won (seed ${SEED})`).toBe(0);
  });

  it(`two engines resuming the same crashed run at once never execute a task twice (${SCALE.doubleResumes} seeded trials)`, async () => {
    const prng = new Prng(SEED ^ 0x2e5);
    const figures = { trials: 0, resumes_started: 0, refused_locked: 0, refused_finished: 0, tasks_checked: 0, executions: 0, double_executions: 0 };
    for (let trial = 0; trial < SCALE.doubleResumes; trial++) {
      const root = initWorkspace(dir, `double-${trial}`);
      const marker = join(root, "executions.log");
      writePipeline(root, "p.yaml", lanePipeline("double", 40, { marker }));
      const head = new HeadWatcher(join(root, ".runledger", "ledger.db"));
      const first = startEngine(root, ["run", "p.yaml", "--concurrency", "3", "--json"]);
      const target = head.seq() + prng.int(5, 120);
      while (head.seq() < target && first.exitCode === null) await sleep(5);
      first.kill("SIGKILL");
      await exited(first);
      head.close();
      const runId = Object.keys((await projectedState(root)).runs)[0];
      if (!runId) throw new Error("no run recorded");
      // Both engines are started in the same instant on the run the dead engine left.
      const engines = [
        startEngine(root, ["resume", runId, "--concurrency", "3", "--json"]),
        startEngine(root, ["resume", runId, "--concurrency", "3", "--json"]),
      ];
      figures.resumes_started += 2;
      const codes = await Promise.all(engines.map(exited));
      // One finished the run; the other was refused (locked while the first ran, or the run was already finished).
      expect(codes.filter((c) => c === 0).length, `exit codes ${String(codes)} (trial ${trial}, seed ${SEED})`).toBe(1);
      figures.refused_locked += codes.filter((c) => c === 1).length;
      figures.refused_finished += codes.filter((c) => c === 2).length;

      const state = await projectedState(root);
      const run = state.runs[runId];
      expect(run).toMatchObject({ status: "succeeded", result: "PASS" });
      const executions = new Map<string, number>();
      for (const line of readFileSync(marker, "utf8").split("\n").filter(Boolean)) executions.set(line, (executions.get(line) ?? 0) + 1);
      for (const [task, view] of Object.entries(run?.tasks ?? {})) {
        const attempts = view.attempts.map((id) => state.attempts[id]);
        expect(attempts.filter((a) => a?.result === "PASS").length, `${task} (trial ${trial})`).toBe(1);
        // Every execution is an attempt the ledger recorded; an abandoned attempt may not have reached its command.
        const ran = executions.get(task) ?? 0;
        expect(ran, `${task} ran ${ran} times for ${attempts.length} attempts (trial ${trial})`).toBeLessThanOrEqual(attempts.length);
        expect(ran).toBeGreaterThanOrEqual(1);
        if (attempts.filter((a) => a?.status !== "abandoned").length > 1) figures.double_executions++;
        figures.tasks_checked++;
        figures.executions += ran;
      }
      // Two engines' commits, a kill and a refusal: the read models are current without a rebuild.
      const models = await storedReadModels(root);
      expect(models.seq).toBe(models.head);
      expect(models.report).toMatchObject({ ok: true, events: models.head });
      const verify = runledger(["verify"], { cwd: root });
      expect(verify.code, verify.stderr).toBe(0);
      figures.trials++;
    }
    reportFigures("concurrency.double-resume", figures);
    expect(figures.double_executions).toBe(0);
  });

  it("a resume while the run's engine is alive is refused with ERR_RUN_LOCKED", async () => {
    const root = initWorkspace(dir, "live");
    writePipeline(root, "p.yaml", lanePipeline("live", 20, { sleep: "0.2" }));
    const engine = startEngine(root, ["run", "p.yaml", "--concurrency", "1", "--json"]);
    const head = new HeadWatcher(join(root, ".runledger", "ledger.db"));
    while (head.seq() < 3) await sleep(10);
    head.close();
    const runId = Object.keys((await projectedState(root)).runs)[0] as string;
    const second = runledger(["resume", runId, "--json"], { cwd: root });
    expect(second.code).toBe(1);
    expect(JSON.parse(second.stdout)).toMatchObject({ status: "error", error: { code: "ERR_RUN_LOCKED" } });
    expect(await exited(engine)).toBe(0);
  });

  it("two processes appending to one ledger, and two engines running in one workspace, never fork the chain", async () => {
    const root = initWorkspace(dir, "appenders");
    const path = join(root, ".runledger", "ledger.db");
    writePipeline(root, "a.yaml", lanePipeline("alpha", 30));
    writePipeline(root, "b.yaml", lanePipeline("beta", 30));
    // Raw appenders and two real engines, all at once.
    const appenders = await readyAppenders(path, ["one", "two"], 150, 7);
    const engines = [startEngine(root, ["run", "a.yaml", "--json"]), startEngine(root, ["run", "b.yaml", "--json"])];
    expect(await appenders.go()).toEqual([0, 0]);
    expect(await Promise.all(engines.map(exited))).toEqual([0, 0]);

    const ledger = new Ledger(new SqliteLedgerStore(path));
    const report = await ledger.verify();
    expect(report.ok).toBe(true);
    let seq = 0;
    let prev = report.head.hash;
    const raw = new Map<string, number>();
    const hashes = new Set<string>();
    for await (const event of ledger.read()) {
      expect(event.seq).toBe(++seq);
      hashes.add(event.hash);
      if (event.type === "run.started" && (event.project === "one" || event.project === "two")) raw.set(event.project, (raw.get(event.project) ?? 0) + 1);
      prev = event.hash;
    }
    await ledger.close();
    expect(prev).toBe(report.head.hash);
    expect(hashes.size).toBe(seq);
    expect(Object.fromEntries(raw)).toEqual({ one: 1050, two: 1050 });
    const state = await projectedState(root);
    expect(
      Object.values(state.runs)
        .map((r) => [r.pipeline, r.status])
        .sort(),
    ).toEqual([
      ["alpha", "succeeded"],
      ["beta", "succeeded"],
    ]);
    expect(runledger(["verify"], { cwd: root }).code).toBe(0);
    reportFigures("concurrency.appenders", { events: seq, raw_appends: 2100, engine_runs: 2, forks: 0 });
  });
});
