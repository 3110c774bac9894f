import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { Actor } from "../src/contracts/common.js";
import { RunledgerError } from "../src/core/errors.js";
import { ROLES } from "../src/governance/roles.js";
import { applyEvent } from "../src/ledger/projections/apply-event.js";
import { emptyProjectionState } from "../src/ledger/projections/projection-state.js";
import { Projector } from "../src/ledger/projections/projector.js";
import { readModelsOf } from "../src/ledger/read-models/read-models-of.js";
import { loadPipelineSource } from "../src/pipelines/load-pipeline-source.js";
import {
  ACTION_ROLES,
  authorize,
  changeControl,
  changeRetention,
  differingOutputs,
  parseKeepWorkRuns,
  startRun,
  type ControlAction,
} from "../src/usecases/index.js";
import { COMMAND_ACTIONS, COMMAND_ROLES } from "../src/cli/command-roles.js";
import { commandPaths } from "../src/cli/program.js";
import { engineDeps, initWorkspace, workRootOf, type Workspace } from "../src/workspace/workspace.js";

const ADMIN: Actor = { kind: "human", id: "ana" };
const dir = mkdtempSync(join(tmpdir(), "runledger-usecases-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let ws: Workspace;
let n = 0;

beforeEach(async () => {
  ws = await initWorkspace(join(dir, `ws${++n}`), ADMIN);
  return () => ws.close();
});

const deps = () => ({ ledger: ws.ledger, actor: ADMIN, project: ws.config.project, readModels: () => readModelsOf(ws.ledger) });
// What the ledger says, by the reference projection: what the use cases read through the read models is checked against it.
const replayed = () => new Projector(ws.ledger).catchUp();
const control = (action: ControlAction, pipeline?: string) => changeControl(deps(), { action, pipeline, reason: `${action} for the test` });

/** The code and detail a call was refused with. */
async function refusal(call: Promise<unknown>): Promise<{ code: string; detail: string | undefined }> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RunledgerError);
  return { code: (error as RunledgerError).code, detail: (error as RunledgerError).detail };
}

describe("changeControl: pause, drain and resume transitions", () => {
  it("pauses, drains and resumes a scope, recording the state before and after", async () => {
    expect(await control("pause")).toEqual({ scope: "project:default", state: "paused" });
    expect(await control("drain")).toEqual({ scope: "project:default", state: "draining" });
    expect(await control("resume")).toEqual({ scope: "project:default", state: "open" });
    const events = (await replayed()).adminEvents;
    expect(events.map((e) => [e.action_type, e.before, e.after])).toEqual([
      ["pause", { state: "open" }, { state: "paused" }],
      ["drain", { state: "paused" }, { state: "draining" }],
      ["resume", { state: "draining" }, { state: "open" }],
    ]);
  });

  it("refuses resuming an open scope and repeating the state in force, recording nothing", async () => {
    expect(await refusal(control("resume", "hello"))).toEqual({ code: "ERR_USAGE", detail: "pipeline:hello is neither paused nor draining" });
    await control("drain", "hello");
    expect(await refusal(control("drain", "hello"))).toEqual({ code: "ERR_USAGE", detail: "pipeline:hello is already draining" });
    expect((await replayed()).adminEvents).toHaveLength(1);
  });

  it("refuses a blank reason with ERR_REASON_REQUIRED before recording", async () => {
    expect((await refusal(changeControl(deps(), { action: "pause", reason: "  " }))).code).toBe("ERR_REASON_REQUIRED");
    expect((await replayed()).adminEvents).toEqual([]);
  });
});

describe("changeRetention", () => {
  it("takes a whole number or all; anything else is ERR_USAGE", () => {
    expect(parseKeepWorkRuns("3")).toBe(3);
    expect(parseKeepWorkRuns("0")).toBe(0);
    expect(parseKeepWorkRuns("all")).toBeNull();
    for (const bad of ["-1", "1.5", "many"]) expect(() => parseKeepWorkRuns(bad)).toThrow(/expected a whole number >= 0, or all/);
  });

  it("records the retention before and after and returns what it pruned", async () => {
    const retention = { ...deps(), workspaceName: ws.config.name, workRoot: workRootOf(ws) };
    expect(await changeRetention(retention, { keepWorkRuns: "2", reason: "disk" })).toEqual({ retention: { keep_work_runs: 2 }, pruned: [] });
    expect(await changeRetention(retention, { keepWorkRuns: "all", reason: "keep all again" })).toEqual({ retention: { keep_work_runs: null }, pruned: [] });
    const events = (await replayed()).adminEvents;
    expect(events.map((e) => [e.before, e.after])).toEqual([
      [{ keep_work_runs: null }, { keep_work_runs: 2 }],
      [{ keep_work_runs: 2 }, { keep_work_runs: null }],
    ]);
    expect((await refusal(changeRetention(retention, { keepWorkRuns: "x", reason: "r" }))).code).toBe("ERR_USAGE");
  });

  it("a run started through the use case prunes to the retention in force once the engine returns", async () => {
    await changeRetention({ ...deps(), workspaceName: ws.config.name, workRoot: workRootOf(ws) }, { keepWorkRuns: "1", reason: "disk" });
    const pipeline = await loadPipelineSource(resolve(import.meta.dirname, "fixtures/governance/fails.yaml"));
    const engine = { engine: engineDeps(ws, ADMIN), modes: ws.modes, readModels: deps().readModels };
    const first = await startRun(engine, pipeline, { project: ws.config.project, noCache: true });
    expect(readdirSync(workRootOf(ws))).toContain(first);
    const second = await startRun(engine, pipeline, { project: ws.config.project, noCache: true });
    const kept = readdirSync(workRootOf(ws));
    expect(kept).toContain(second);
    expect(kept).not.toContain(first);
  });
});

describe("replay comparison", () => {
  it("names the passed tasks of the original whose outputs the replay did not reproduce", () => {
    const state = emptyProjectionState();
    const event = (seq: number, type: string, data: Record<string, unknown>) => ({
      seq,
      type,
      project: "p",
      actor: ADMIN,
      at: "2024-01-01T00:00:00.000Z",
      data,
      prev: "",
      hash: "",
    });
    const run = (id: string, seq: number) =>
      applyEvent(
        state,
        event(seq, "run.requested", {
          run_id: id,
          pipeline: "p",
          as_of: "2024-01-01T00:00:00.000Z",
          work_mode: "BUILD",
          run_mode: "real",
          enforcement: "enforced",
          params: {},
          tasks: ["a", "b", "c"],
        }) as never,
      );
    const passed = (runId: string, task: string, attempt: string, digest: string, seq: number) => {
      applyEvent(
        state,
        event(seq, "attempt.started", { run_id: runId, task, attempt_id: attempt, job_id: attempt, attempt_number: 1, operator_ref: "op@1" }) as never,
      );
      applyEvent(
        state,
        event(seq + 1, "attempt.succeeded", { attempt_id: attempt, receipt_digest: digest, result: "PASS", outputs: [{ path: "outputs/x", digest }] }) as never,
      );
    };
    const D = (c: string) => `sha256:${c.repeat(64)}`;
    run("r1", 1);
    run("r2", 2);
    passed("r1", "a", "a1", D("a"), 3);
    passed("r1", "b", "b1", D("b"), 5);
    passed("r2", "a", "a2", D("a"), 7);
    passed("r2", "b", "b2", D("c"), 9);
    expect(differingOutputs(state, "r1", "r2")).toEqual(["b"]);
    expect(differingOutputs(state, "r1", "r1")).toEqual([]);
  });
});

describe("authorization by action", () => {
  it("every registered CLI command maps to an action (or to none, deliberately)", () => {
    const paths = commandPaths();
    expect(paths).toContain("admin pause");
    expect(paths.filter((p) => !Object.hasOwn(COMMAND_ACTIONS, p))).toEqual([]);
    expect(Object.keys(COMMAND_ACTIONS).filter((p) => !paths.includes(p))).toEqual([]);
    expect(
      Object.entries(COMMAND_ACTIONS)
        .filter(([, action]) => action === null)
        .map(([p]) => p)
        .sort(),
    ).toEqual(["effect", "init"]);
  });

  it("keeps each command's role as it was", () => {
    expect(COMMAND_ROLES).toMatchObject({
      run: "operator",
      runs: "viewer",
      "gate approve": "approver",
      "admin pause": "admin",
      "access list": "admin",
      "monitor run": "operator",
      "secret list": "viewer",
      init: null,
    });
  });

  it("authorize(roles, action) holds the table: admin may all, approver approves, viewer only reads", () => {
    for (const action of Object.keys(ACTION_ROLES) as (keyof typeof ACTION_ROLES)[]) expect(authorize(["admin"], action)).toBe(true);
    expect(authorize(["approver"], "gate.approve")).toBe(true);
    expect(authorize(["operator"], "gate.approve")).toBe(false);
    expect(authorize(["operator"], "run.start")).toBe(true);
    expect(authorize(["viewer"], "runs.read")).toBe(true);
    expect(authorize(["viewer"], "run.start")).toBe(false);
    expect(authorize(["operator"], "admin.pause")).toBe(false);
    expect(authorize([], "runs.read")).toBe(false);
    expect(new Set(Object.values(ACTION_ROLES))).toEqual(new Set(ROLES));
  });
});
