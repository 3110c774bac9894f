import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../src/cli/program.js";
import { openWorkspace } from "../src/workspace/workspace.js";
import { Projector } from "../src/ledger/projections/projector.js";
import { assertTransition, lifecyclesFrom } from "../src/governance/operator-lifecycle.js";
import { compareValues } from "../src/governance/watermarks.js";

const FIXTURES = resolve(import.meta.dirname, "fixtures/governance");
const dir = mkdtempSync(join(tmpdir(), "runledger-governance-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let root: string;
let n = 0;

/** Runs the CLI in this process; returns the exit code, stdout, stderr and the last JSON line of stdout. */
async function cli(args: string[], actor = "human:ana") {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on("data", (c: Buffer) => out.push(c.toString()));
  stderr.on("data", (c: Buffer) => err.push(c.toString()));
  const code = await runCli(["-w", root, "--actor", actor, ...args], { stdout, stderr, env: { ...process.env, RUNLEDGER_TOKEN: "" }, cwd: dir });
  const text = out.join("");
  const last = text.trim().split("\n").at(-1) ?? "";
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- envelopes are checked field by field
  const json = (last.startsWith("{") ? JSON.parse(last) : {}) as Record<string, any>;
  return { code, out: text, err: err.join(""), json };
}

async function state() {
  const ws = await openWorkspace(root);
  try {
    return await new Projector(ws.ledger).catchUp();
  } finally {
    await ws.close();
  }
}

beforeEach(async () => {
  root = join(dir, `ws${++n}`);
  const stdout = new PassThrough().resume();
  expect(await runCli(["init", root], { stdout, stderr: new PassThrough().resume(), env: process.env, cwd: dir })).toBe(0);
});

const hello = () => join(root, "pipelines/hello.yaml");

describe("admin pause, drain, resume", () => {
  it("a paused project refuses new runs with ERR_PAUSED until resumed; each action is an audited admin event", async () => {
    expect((await cli(["admin", "pause"])).json).toEqual({}); // no --reason: refused before anything is recorded
    expect((await cli(["admin", "pause", "--reason", "storage maintenance", "--json"])).json.control).toEqual({ scope: "project:default", state: "paused" });
    const refused = await cli(["run", hello(), "--json"]);
    expect(refused.code).toBe(2);
    expect(refused.json.error.code).toBe("ERR_PAUSED");
    expect(refused.json.error.message).toContain("storage maintenance");
    expect((await cli(["admin", "resume", "--reason", "maintenance done"])).code).toBe(0);
    expect((await cli(["run", hello()])).code).toBe(0);
    const audit = (await cli(["audit", "--json"])).json.admin_events as {
      action_type: string;
      reason: string;
      actor: unknown;
      before: unknown;
      after: unknown;
    }[];
    expect(audit.map((e) => [e.action_type, e.reason])).toEqual([
      ["pause", "storage maintenance"],
      ["resume", "maintenance done"],
    ]);
    expect(audit[0]).toMatchObject({ actor: { kind: "human", id: "ana" }, before: { state: "open" }, after: { state: "paused" } });
  });

  it("pausing a pipeline mid-run stops it starting tasks; after resume, `runledger resume` finishes it", async () => {
    writeFileSync(join(root, "slow.yaml"), readFileSync(join(FIXTURES, "slow.yaml")));
    const running = cli(["run", join(root, "slow.yaml"), "--next", "check two", "--json"]);
    for (let i = 0; i < 200; i++) {
      const s = await state();
      if (Object.values(s.attempts).some((a) => a.correlation_ids.task === "first")) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await cli(["admin", "pause", "--pipeline", "slow", "--reason", "hold for review"])).code).toBe(0);
    const paused = await running;
    expect(paused.json.run.status).toBe("paused");
    expect(paused.json.run.tasks.map((t: { name: string; outcome: string }) => [t.name, t.outcome])).toEqual([
      ["first", "SUCCESS"],
      ["second", "PENDING"],
    ]);
    const id = paused.json.run.id as string;
    expect((await cli(["resume", id, "--json"])).json.error.code).toBe("ERR_PAUSED");
    expect((await cli(["admin", "resume", "--pipeline", "slow", "--reason", "reviewed"])).code).toBe(0);
    const resumed = await cli(["resume", id, "--json"]);
    expect(resumed.json.run).toMatchObject({ status: "succeeded", result: "PASS" });
    expect((await state()).attempts).toSatisfy(
      (attempts: object) => Object.values(attempts).filter((a: { correlation_ids: { task: string } }) => a.correlation_ids.task === "first").length === 1,
    );
  });

  it("drain refuses new runs but lets an open run be resumed to its end", async () => {
    expect((await cli(["admin", "drain", "--reason", "deploy"])).code).toBe(0);
    expect((await cli(["run", hello(), "--json"])).json.error.code).toBe("ERR_PAUSED");
    expect((await cli(["admin", "drain", "--reason", "again"])).json).toEqual({});
    expect((await cli(["admin", "resume", "--reason", "deployed"])).code).toBe(0);
    expect((await cli(["admin", "resume", "--reason", "twice", "--json"])).json.error.code).toBe("ERR_USAGE");
  });

  it("retention prunes the kept working directories of older finished runs, audited; the ledger keeps every run", async () => {
    writeFileSync(join(root, "fails.yaml"), readFileSync(join(FIXTURES, "fails.yaml")));
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await cli(["run", join(root, "fails.yaml"), "--no-cache", "--json"])).json.run.id as string);
    const work = join(root, ".runledger", "work");
    expect(
      readdirSync(work)
        .filter((d) => ids.includes(d))
        .sort(),
    ).toEqual([...ids].sort());
    const changed = await cli(["admin", "retention", "--keep-work-runs", "1", "--reason", "disk budget", "--json"]);
    expect(changed.json.pruned_runs.sort()).toEqual(ids.slice(0, 2).sort());
    expect(readdirSync(work).filter((d) => ids.includes(d))).toEqual([ids[2]]);
    await cli(["run", join(root, "fails.yaml"), "--no-cache"]); // the policy applies after every run
    expect(readdirSync(work).filter((d) => ids.includes(d))).toEqual([]);
    expect(Object.keys((await state()).runs)).toHaveLength(4);
    const audit = (await cli(["audit", "--action", "change_retention", "--json"])).json.admin_events;
    expect(audit[0]).toMatchObject({ reason: "disk budget", before: { keep_work_runs: null }, after: { keep_work_runs: 1 } });
  });

  it("replay runs the same pipeline, parameters and event time again without the cache, audited", async () => {
    const first = await cli(["run", hello(), "--as-of", "2026-01-05T00:00:00Z", "--next", "n", "--json"]);
    const replay = await cli(["admin", "replay", first.json.run.id, "--reason", "prove determinism", "--json"]);
    expect(replay.code).toBe(0);
    expect(replay.json.run.id).not.toBe(first.json.run.id);
    expect(replay.json.run.as_of).toBe("2026-01-05T00:00:00.000Z");
    expect(replay.json.run.tasks.every((t: { attempts: { status: string }[] }) => t.attempts.every((a) => a.status !== "reused"))).toBe(true);
    expect(replay.err).toContain('"identical":true');
    const audit = (await cli(["audit", "--action", "replay_request", "--json"])).json.admin_events;
    expect(audit).toHaveLength(1);
    expect(audit[0].targets).toEqual([{ kind: "run", id: first.json.run.id }]);
  });
});

describe("operator registry", () => {
  it("moves REGISTERED → ACTIVE → DEPRECATED → REMOVED, warns on a deprecated operator and never runs a removed one", async () => {
    const ref = "hello.total@0";
    expect((await cli(["operator", "activate", ref, "--reason", "x", "--json"])).json.error.code).toBe("ERR_LIFECYCLE");
    expect((await cli(["operator", "register", ref, "--reason", "decision D-12"])).code).toBe(0);
    const inactive = await cli(["run", hello(), "--json"]);
    expect(inactive.json.error.code).toBe("ERR_OPERATOR_INACTIVE");
    expect(inactive.json.error.message).toContain("REGISTERED");
    expect((await cli(["operator", "activate", ref, "--reason", "decision D-13"])).code).toBe(0);
    expect((await cli(["run", hello()])).code).toBe(0);
    expect((await cli(["operator", "deprecate", ref, "--reason", "superseded by total@1"])).code).toBe(0);
    const warned = await cli(["run", hello(), "--no-cache"]);
    expect(warned.code).toBe(0);
    expect(warned.err).toContain(`warning: operator ${ref} is DEPRECATED`);
    expect((await cli(["operator", "remove", ref, "--reason", "decision D-14"])).code).toBe(0);
    expect((await cli(["run", hello(), "--json"])).json.error.code).toBe("ERR_OPERATOR_INACTIVE");
    const shown = (await cli(["operator", "show", ref, "--json"])).json.operator;
    expect(shown.status).toBe("REMOVED");
    expect(shown.history.map((h: { status: string }) => h.status)).toEqual(["REGISTERED", "ACTIVE", "DEPRECATED", "REMOVED"]);
    const listed = (await cli(["operator", "list", "--json"])).json.operators as { ref: string; status: string }[];
    expect(listed.find((o) => o.ref === "hello.numbers@0")?.status).toBe("UNGOVERNED");
  });

  it("an undeclared output is a violation: the attempt fails, the run halts, the operator is quarantined (seed 001 §8.4)", async () => {
    writeFileSync(join(root, "sneaky.yaml"), readFileSync(join(FIXTURES, "sneaky.yaml")));
    const run = await cli(["run", join(root, "sneaky.yaml"), "--json"]);
    expect(run.code).toBe(1);
    expect(run.json.run).toMatchObject({ status: "halted", result: "FAIL", violations: [{ kind: "undeclared_output", task: "writes" }] });
    expect(run.json.run.tasks[0].attempts[0].error_code).toBe("ERR_OUTPUT_UNDECLARED");
    expect(run.json.run.tasks[1]).toMatchObject({ outcome: "SKIPPED" });
    expect((await cli(["operator", "show", "sneaky.writes@0", "--json"])).json.operator).toMatchObject({
      status: "QUARANTINED",
      violations: [{ kind: "undeclared_output" }],
    });
    expect((await cli(["run", join(root, "sneaky.yaml"), "--json"])).json.error.code).toBe("ERR_OPERATOR_INACTIVE");
  });

  it("a violation quarantines the operator, which then refuses to run until reviewed and activated", async () => {
    const run = await cli(["run", hello(), "--next", "n", "--json"]);
    const attempt = run.json.run.tasks[0].attempts[0].id as string;
    const ws = await openWorkspace(root);
    await ws.ledger.append([
      {
        type: "violation.recorded",
        project: "default",
        actor: { kind: "service", id: "engine" },
        data: { attempt_id: attempt, detail: "wrote outputs/extra.txt", kind: "undeclared_output", run_id: run.json.run.id, task: "numbers" },
      },
    ]);
    await ws.close();
    expect((await cli(["operator", "show", "hello.numbers@0", "--json"])).json.operator.status).toBe("QUARANTINED");
    expect((await cli(["run", hello(), "--json"])).json.error.message).toContain("QUARANTINED");
    expect((await cli(["operator", "activate", "hello.numbers@0", "--reason", "reviewed: the extra file is now declared"])).code).toBe(0);
    expect((await cli(["run", hello()])).code).toBe(0);
  });
});

describe("lifecycle and watermark rules", () => {
  it("repeated violations remove an operator for good; transitions follow the lifecycle", () => {
    const violation = (seq: number) => ({ operator_ref: "x@1", kind: "undeclared_output", seq, at_utc: "2026-01-01T00:00:00Z", detail: "d" });
    expect(lifecyclesFrom([], [violation(1)]).get("x@1")?.status).toBe("QUARANTINED");
    expect(lifecyclesFrom([], [violation(1), violation(2), violation(3)]).get("x@1")?.status).toBe("REMOVED");
    expect(assertTransition("x@1", undefined, "operator_register")).toBe("REGISTERED");
    expect(() => assertTransition("x@1", "REMOVED", "operator_activate")).toThrow(/REMOVED/);
    expect(() => assertTransition("x@1", "REGISTERED", "operator_deprecate")).toThrow(/ACTIVE/);
  });

  it("orders dates by time, numbers numerically, anything else as text", () => {
    expect(compareValues("2024-03-28", "2024-03-27T23:00:00Z")).toBeGreaterThan(0);
    expect(compareValues("10", "9")).toBeGreaterThan(0);
    expect(compareValues("b", "a")).toBeGreaterThan(0);
  });
});

describe("watermarks", () => {
  it("an override needs --justification and --confirm, records the actor and reason, and a rollback goes through it too", async () => {
    expect((await cli(["watermark", "override", "us.te", "--to", "2026-01-05", "--justification", "late feed", "--json"])).json.error.code).toBe(
      "ERR_CONFIRM_REQUIRED",
    );
    expect((await cli(["watermark", "override", "us.te", "--to", "2026-01-05", "--confirm", "--json"])).json.error.code).toBe("ERR_CONFIRM_REQUIRED");
    expect(
      (
        await cli([
          "watermark",
          "override",
          "us.te",
          "--to",
          "2026-01-05",
          "--confirm",
          "--justification",
          "vendor feed late; verified by hand",
          "--definition",
          "proxy_set@v3",
        ])
      ).code,
    ).toBe(0);
    expect(
      (await cli(["watermark", "override", "us.te", "--to", "2026-01-04", "--confirm", "--justification", "roll back a bad epoch"], "human:bo")).code,
    ).toBe(0);
    const mark = (await cli(["watermark", "show", "us.te", "--json"])).json.watermark;
    expect(mark).toMatchObject({
      value: "2026-01-04",
      previous: "2026-01-05",
      definition: { name: "proxy_set", version: "v3" },
      valid: true,
      updated_by: "human:bo",
    });
    expect(mark.moved_by).toMatchObject({ kind: "override", justification: "roll back a bad epoch" });
    const audit = (await cli(["audit", "--action", "watermark_override", "--json"])).json.admin_events;
    expect(audit.map((e: { actor: { id: string }; before: { value: string | null } }) => [e.actor.id, e.before.value])).toEqual([
      ["ana", null],
      ["bo", "2026-01-05"],
    ]);
    expect((await cli(["watermark", "show", "eu.te", "--json"])).json.error.code).toBe("ERR_WATERMARK_NOT_FOUND");
  });

  it("a sync rule between two watermarks warns when they drift apart", async () => {
    const configPath = join(root, "runledger.json");
    writeFileSync(
      configPath,
      JSON.stringify({ ...JSON.parse(readFileSync(configPath, "utf8")), watermarks: { sync: [{ between: ["us.te", "india.te"], maxGap: "1d" }] } }),
    );
    const override = (name: string, to: string) => cli(["watermark", "override", name, "--to", to, "--confirm", "--justification", "seed"]);
    await override("us.te", "2026-01-05");
    await override("india.te", "2026-01-04");
    expect((await cli(["watermark", "list", "--json"])).json.sync_warnings).toEqual([]);
    await override("us.te", "2026-01-07");
    const listed = await cli(["watermark", "list"]);
    expect(listed.out).toContain("warning: sync rule broken: us.te (2026-01-07) and india.te (2026-01-04) are 72 h apart");
    const monitors = (await cli(["monitor", "run", "--json"])).json.suggestions as { monitor: string; level: string }[];
    expect(monitors.find((s) => s.monitor === "watermark-sync")?.level).toBe("WARN");
  });
});

describe("monitors", () => {
  it("only suggest, and running them 100 times leaves the state of running them once", async () => {
    await cli(["run", hello()]); // no next pointer: the runs-not-counted monitor suggests one
    const once = await cli(["monitor", "run", "--json"]);
    expect(once.json.suggestions.some((s: { monitor: string }) => s.monitor === "runs-not-counted")).toBe(true);
    expect(once.json.recorded).toBeGreaterThan(0);
    const after1 = await state();
    for (let i = 0; i < 99; i++) expect((await cli(["monitor", "run", "--json"])).json.recorded).toBe(0);
    const after100 = await state();
    expect(after100.seq).toBe(after1.seq);
    expect(after100.suggestions).toEqual(after1.suggestions);
  });

  it("a monitor that tries to change what it observes, or to say more than a suggestion, is refused and records nothing", async () => {
    const configPath = join(root, "runledger.json");
    for (const file of ["mutating-monitor.mjs", "shouting-monitor.mjs"]) writeFileSync(join(root, file), readFileSync(join(FIXTURES, file)));
    writeFileSync(configPath, JSON.stringify({ ...JSON.parse(readFileSync(configPath, "utf8")), monitors: ["mutating-monitor.mjs", "shouting-monitor.mjs"] }));
    const before = await state();
    const refused = await cli(["monitor", "run", "--json"]);
    expect(refused.json.error.code).toBe("ERR_MONITOR_REFUSED");
    expect(refused.json.error.message).toContain("meddler: it tried to change what it observes");
    expect(refused.json.error.message).toContain('shouter: level "ERROR"');
    const after = await state();
    expect(after.runs["forged"]).toBeUndefined();
    expect(Object.values(after.suggestions).filter((s) => s.monitor === "meddler" || s.monitor === "shouter")).toEqual([]);
    expect(after.seq).toBe(before.seq); // the built-in monitors had nothing to say in an empty workspace
  });
});
