import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ReceiptSchema } from "../src/contracts/receipt.js";
import { canonicalJson } from "../src/core/canonical-json.js";
import type { RunledgerError } from "../src/core/errors.js";
import { callEffectSocket } from "../src/engine/effects-call.js";
import { EFFECTS_MARKER_NAME, EFFECTS_MARKER_TEXT } from "../src/engine/effects-dir.js";
import { EffectsSocket } from "../src/engine/effects-socket.js";
import { sweepStaleEffectsDirs } from "../src/engine/effects-sweep.js";
import { resumeRun, runPipeline, type RunOptions } from "../src/engine/index.js";
import type { LedgerEvent } from "../src/ledger/ledger-event.js";
import { Projector } from "../src/ledger/projections/projector.js";
import { defineOperator } from "../src/operators/define-operator.js";
import type { OperatorContext } from "../src/operators/operator-definition.js";
import { definePipeline, type PipelineSpec } from "../src/pipelines/define-pipeline.js";
import { loadPipelineYaml } from "../src/pipelines/load-yaml.js";
import { pipelineDigest } from "../src/pipelines/plan.js";
import { initWorkspace, type Workspace } from "../src/workspace/workspace.js";
import { CLI, runledger, runledgerAsync } from "./support/cli.js";
import { expectError } from "./support/expect-error.js";

const ACTOR = Object.freeze({ kind: "service", id: "effects-test" } as const);
let dir: string;
let ws: Workspace;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "runledger-effects-"));
  ws = await initWorkspace(join(dir, "ws"), ACTOR);
});
afterAll(async () => {
  await ws.close();
  rmSync(dir, { recursive: true, force: true });
});

const deps = () => ({ ledger: ws.ledger, artifacts: ws.artifacts, actor: ACTOR, workRoot: join(dir, "work") });

/** For sockets and clients in tests that break no limit and meet no engine error. */
function failOnEngineError(error: unknown): never {
  throw new Error(`unexpected: ${String(error)}`);
}

/** A broker handler that counts what really happened. */
function broker() {
  const orders: unknown[] = [];
  return {
    orders,
    handler: { execute: (payload: unknown) => (orders.push(payload), { order_id: `real-${orders.length}` }), shadow: () => ({ order_id: "fake-1" }) },
  };
}

/** An operator declaring broker.order that places one order and writes the answer. */
function trader(body?: (ctx: OperatorContext) => Promise<unknown>, effects: readonly string[] = ["broker.order"]) {
  return defineOperator({
    id: "trader",
    version: "1.0.0",
    effects,
    outputs: ["outputs/answer.json"],
    checks: [{ nonEmpty: "outputs/answer.json" }],
    timeout: "10s",
    async run(ctx) {
      const answer = body ? await body(ctx) : await ctx.effects.call("broker.order", { symbol: "ACME", qty: 3 });
      await writeFile(join(ctx.outputsDir, "answer.json"), JSON.stringify(answer));
    },
    mock: async (ctx) => {
      const answer = await ctx.effects.call("broker.order", { symbol: "ACME", qty: 3 });
      await writeFile(join(ctx.outputsDir, "answer.json"), JSON.stringify(answer));
    },
  });
}

let projects = 0;
async function run(spec: PipelineSpec, options: Partial<RunOptions> = {}) {
  const project = options.project ?? `p${++projects}`;
  const id = await runPipeline(definePipeline(spec), deps(), { project, concurrency: 1, noCache: true, ...options });
  return view(project, id);
}

async function view(project: string, id: string) {
  const state = await new Projector(ws.ledger, { project }).catchUp();
  const runView = state.runs[id]!;
  const attempt = (task: string) => state.attempts[runView.tasks[task]!.attempts.at(-1)!]!;
  const receipt = async (task: string) => ReceiptSchema.parse(JSON.parse(Buffer.from(await ws.artifacts.get(attempt(task).receipt_digest!)).toString("utf8")));
  const output = async (task: string) => Buffer.from(await ws.artifacts.get(attempt(task).outputs[0]!.digest)).toString("utf8");
  const events: LedgerEvent[] = [];
  for await (const event of ws.ledger.read({ project })) events.push(event);
  const ofType = (type: string) => events.filter((e) => e.type === type).map((e) => e.data as Record<string, unknown>);
  return { id, project, view: runView, attempt, receipt, output, ofType };
}

describe("effects: shadow | enforced (engine API)", () => {
  it("shadow: the call goes to the sink and is recorded with its payload; nothing external happens", async () => {
    const { orders, handler } = broker();
    const r = await run({ name: "trade", effects: { "broker.order": handler }, tasks: { trade: { operator: trader() } } }, { enforcement: "shadow" });
    expect(r.view).toMatchObject({ status: "succeeded", enforcement: "shadow" });
    expect(orders).toEqual([]);
    expect(JSON.parse(await r.output("trade"))).toEqual({ order_id: "fake-1", shadow: true });
    const [called] = r.ofType("effect.called");
    expect(called).toMatchObject({
      effect: "broker.order",
      enforcement: "shadow",
      run_mode: "real",
      outcome: "recorded",
      task: "trade",
      call_number: 1,
      run_id: r.id,
    });
    expect(Buffer.from(await ws.artifacts.get(called!["payload_digest"] as string)).toString()).toBe(canonicalJson({ symbol: "ACME", qty: 3 }));
    expect(r.attempt("trade").effects).toMatchObject([{ effect: "broker.order", outcome: "recorded" }]);
    const receipt = await r.receipt("trade");
    expect(receipt.enforcement).toBe("shadow");
    expect(receipt.effects).toEqual([
      { call_number: 1, effect: "broker.order", outcome: "recorded", payload_digest: called!["payload_digest"], result_digest: called!["result_digest"] },
    ]);
    expect(r.ofType("run.requested")[0]).toMatchObject({ enforcement: "shadow" });
  });

  it("enforced (the default): the pipeline's handler performs the call and its result comes back", async () => {
    const { orders, handler } = broker();
    const r = await run({ name: "trade", effects: { "broker.order": handler }, tasks: { trade: { operator: trader() } } });
    expect(r.view).toMatchObject({ status: "succeeded", enforcement: "enforced" });
    expect(orders).toEqual([{ symbol: "ACME", qty: 3 }]);
    expect(JSON.parse(await r.output("trade"))).toEqual({ order_id: "real-1" });
    expect(r.ofType("effect.called")).toMatchObject([{ outcome: "executed", enforcement: "enforced" }]);
    expect((await r.receipt("trade")).enforcement).toBe("enforced");
  });

  it("the pipeline's enforcement key chooses shadow, an explicit option wins; a shadow attempt is never reused by an enforced run", async () => {
    const { orders, handler } = broker();
    const spec: PipelineSpec = { name: "trade-keyed", enforcement: "shadow", effects: { "broker.order": handler }, tasks: { trade: { operator: trader() } } };
    const shadow = await run(spec, { noCache: false, project: "cache" });
    expect(shadow.view.enforcement).toBe("shadow");
    const enforced = await run(spec, { noCache: false, project: "cache", enforcement: "enforced" });
    expect(enforced.view.enforcement).toBe("enforced");
    expect(enforced.attempt("trade").status).toBe("succeeded");
    expect(orders).toHaveLength(1);
    expect(
      loadPipelineYaml("pipeline: y\nenforcement: shadow\ntasks:\n  a: { run: 'true', checks: [{ command: { run: 'true' } }] }\n", join(dir, "y.yaml"))
        .enforcement,
    ).toBe("shadow");
    const bad = expectError(
      () =>
        loadPipelineYaml("pipeline: y\nenforcement: sometimes\ntasks:\n  a: { run: 'true', checks: [{ command: { run: 'true' } }] }\n", join(dir, "y.yaml")),
      "ERR_VALIDATION",
    );
    expect(bad.issues).toMatchObject([{ code: "ERR_SCHEMA", path: ["enforcement"] }]);
  });

  it("mock run mode never performs effects: they go to the sink even when enforced", async () => {
    const { orders, handler } = broker();
    const r = await run({ name: "trade", effects: { "broker.order": handler }, tasks: { trade: { operator: trader() } } }, { runMode: "mock" });
    expect(orders).toEqual([]);
    expect(JSON.parse(await r.output("trade"))).toEqual({ order_id: "fake-1", shadow: true });
    expect(r.ofType("effect.called")).toMatchObject([{ outcome: "recorded", enforcement: "enforced", run_mode: "mock" }]);
  });

  it("enforced without a handler fails the attempt with ERR_EFFECT_UNHANDLED, even when the operator catches it", async () => {
    const swallow = trader(async (ctx) => ctx.effects.call("broker.order", { qty: 1 }).catch(() => ({ caught: true })));
    const r = await run({ name: "trade", tasks: { trade: { operator: swallow } } });
    expect(r.attempt("trade")).toMatchObject({ status: "failed", error_code: "ERR_EFFECT_UNHANDLED" });
    expect(r.ofType("effect.called")).toMatchObject([{ outcome: "refused", error_code: "ERR_EFFECT_UNHANDLED" }]);
    expect(r.view.status).toBe("failed");
  });

  it("an undeclared effect fails with ERR_EFFECT_UNDECLARED, records a violation and halts the run", async () => {
    const sneaky = trader(async (ctx) =>
      ctx.effects.call("http.post", { url: "http://127.0.0.1:9/", body: {} }).catch((error: unknown) => ({ caught: (error as RunledgerError).code })),
    );
    const later = defineOperator({
      id: "later",
      version: "1.0.0",
      outputs: ["outputs/x"],
      checks: [{ nonEmpty: "outputs/x" }],
      timeout: "5s",
      run: (ctx) => writeFile(join(ctx.outputsDir, "x"), "x"),
    });
    const r = await run({ name: "sneaky", tasks: { a: { operator: sneaky }, b: { operator: later } } }, { enforcement: "shadow" });
    expect(r.attempt("a")).toMatchObject({ status: "failed", error_code: "ERR_EFFECT_UNDECLARED" });
    expect(r.ofType("violation.recorded")).toEqual([
      { attempt_id: r.attempt("a").attempt_id, detail: expect.stringContaining("http.post"), kind: "undeclared_effect", run_id: r.id, task: "a" },
    ]);
    expect(r.ofType("effect.called")).toMatchObject([{ effect: "http.post", outcome: "refused", error_code: "ERR_EFFECT_UNDECLARED" }]);
    expect(r.view).toMatchObject({ status: "halted", result: "FAIL", violations: [{ kind: "undeclared_effect", task: "a" }] });
    expect(r.view.tasks["b"]).toMatchObject({ outcome: "SKIPPED", reason: "run-halted: violation in task a", attempts: [] });
    expect(r.view.next).toContain("review the violation in task a");
  });

  it("a violation stops the attempts in flight (ERR_RUN_HALTED) instead of waiting them out, and retries none", async () => {
    const sneaky = trader(async (ctx) => {
      // Late enough for the others to be running.
      await new Promise((resolve) => setTimeout(resolve, 300));
      return ctx.effects.call("http.post", { url: "http://127.0.0.1:9/", body: {} });
    });
    const sleeper = defineOperator({
      id: "sleeper",
      version: "1.0.0",
      command: ["sh", "-c", "sleep 20; echo late > outputs/x"],
      outputs: ["outputs/x"],
      checks: [{ nonEmpty: "outputs/x" }],
      timeout: "60s",
      retries: 3,
    });
    const waiter = defineOperator({
      id: "waiter",
      version: "1.0.0",
      outputs: ["outputs/x"],
      checks: [{ nonEmpty: "outputs/x" }],
      timeout: "60s",
      run: () => new Promise<void>(() => undefined),
    });
    const r = await run(
      {
        name: "halting",
        tasks: { a: { operator: sneaky }, slow: { operator: sleeper }, stuck: { operator: waiter }, after: { operator: waiter, needs: ["slow"] } },
      },
      { concurrency: 3 },
    );
    expect(r.view).toMatchObject({ status: "halted", result: "FAIL" });
    for (const task of ["slow", "stuck"]) {
      expect(r.view.tasks[task]).toMatchObject({ outcome: "FAILED", attempts: [expect.any(String)] });
      expect(r.attempt(task)).toMatchObject({ status: "failed", error_code: "ERR_RUN_HALTED", retryable: false });
    }
    expect(r.view.tasks["after"]).toMatchObject({ outcome: "SKIPPED", attempts: [] });
    // The sleeping command was killed: its receipt says so.
    expect((await r.receipt("slow")).result).toBe("FAIL");
  });

  it("sweeps the socket directories that killed engines left behind, and keeps live and new ones", async () => {
    const base = mkdtempSync(join(dir, "sweep-"));
    const [stale, live, fresh, unlistened] = ["stale", "live", "fresh", "unlistened"].map((name) => join(base, `runledger-fx-${name}`)) as [
      string,
      string,
      string,
      string,
    ];
    for (const d of [stale, live, fresh, unlistened]) {
      mkdirSync(d);
      writeFileSync(join(d, EFFECTS_MARKER_NAME), EFFECTS_MARKER_TEXT);
    }
    // An engine killed between making its directory and listening: no socket, made an hour ago.
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(unlistened, hourAgo, hourAgo);
    // A killed engine: its process dies with SIGKILL while listening, and the socket file stays.
    const killed = spawnSync(process.execPath, [
      "-e",
      "require('net').createServer().listen(process.argv[1], () => process.kill(process.pid, 'SIGKILL'))",
      join(stale, "effects.sock"),
    ]);
    expect(killed.signal).toBe("SIGKILL");
    expect(existsSync(join(stale, "effects.sock"))).toBe(true);
    const server = createNetServer().listen(join(live, "effects.sock"));
    await once(server, "listening");
    try {
      expect(await sweepStaleEffectsDirs(base)).toBe(2);
      expect([existsSync(stale), existsSync(live), existsSync(fresh), existsSync(unlistened)]).toEqual([false, true, true, false]);
    } finally {
      server.close();
    }
  });

  it("the effects socket falls back to /tmp when a long TMPDIR would not fit a socket path", async () => {
    const long = join(dir, "t".repeat(120));
    mkdirSync(long, { recursive: true });
    const saved = process.env["TMPDIR"];
    process.env["TMPDIR"] = long;
    const socket = new EffectsSocket(failOnEngineError);
    try {
      const seat = await socket.register({ call: async (effect: string, payload: unknown) => ({ effect, payload }), failAttempt: failOnEngineError });
      expect(seat.path.startsWith("/tmp/runledger-fx-")).toBe(true);
      expect(await callEffectSocket(seat.path, seat.token, "echo.back", { n: 1 })).toEqual({ effect: "echo.back", payload: { n: 1 } });
    } finally {
      await socket.close();
      if (saved === undefined) delete process.env["TMPDIR"];
      else process.env["TMPDIR"] = saved;
    }
  });

  it("one socket serves a run's attempts: a call reaches only its token's attempt, and none after the attempt ends", async () => {
    const socket = new EffectsSocket(failOnEngineError);
    let path = "";
    try {
      const a = await socket.register({ call: async (effect: string) => `a:${effect}`, failAttempt: failOnEngineError });
      path = a.path;
      const b = await socket.register({ call: async (effect: string) => `b:${effect}`, failAttempt: failOnEngineError });
      expect(b.path).toBe(a.path);
      expect(a.token).not.toBe(b.token);
      expect(await callEffectSocket(a.path, a.token, "x", null)).toBe("a:x");
      expect(await callEffectSocket(b.path, b.token, "x", null)).toBe("b:x");
      await expect(callEffectSocket(a.path, "forged", "x", null)).rejects.toMatchObject({
        code: "ERR_EFFECT_FAILED",
        message: expect.stringContaining("no attempt holds that token"),
      });
      a.release();
      await expect(callEffectSocket(a.path, a.token, "x", null)).rejects.toMatchObject({ code: "ERR_EFFECT_FAILED" });
      expect(await callEffectSocket(b.path, b.token, "y", null)).toBe("b:y");
    } finally {
      await socket.close();
    }
    expect(path).not.toBe("");
    expect(existsSync(dirname(path)), "the socket's directory is removed at close").toBe(false);
  });

  it("ctx.env is the declared env after --param overrides", async () => {
    const op = defineOperator({
      id: "envy",
      version: "1.0.0",
      env: { URL: "http://declared", OTHER: "kept" },
      outputs: ["outputs/env.json"],
      checks: [{ nonEmpty: "outputs/env.json" }],
      timeout: "5s",
      run: (ctx) => writeFile(join(ctx.outputsDir, "env.json"), JSON.stringify(ctx.env)),
    });
    const r = await run({ name: "envy", tasks: { e: { operator: op } } }, { params: { URL: "http://override", UNDECLARED: "no" } });
    expect(JSON.parse(await r.output("e"))).toEqual({ URL: "http://override", OTHER: "kept" });
  });

  it("resume keeps the run's enforcement", async () => {
    const { orders, handler } = broker();
    const def = definePipeline({ name: "resumable", effects: { "broker.order": handler }, tasks: { trade: { operator: trader() } } });
    const runId = "run-resume-shadow";
    await ws.ledger.append([
      {
        type: "run.requested",
        project: "resume",
        actor: ACTOR,
        data: {
          as_of: "2026-01-01T00:00:00.000Z",
          enforcement: "shadow",
          params: {},
          pipeline: def.name,
          pipeline_digest: pipelineDigest(def),
          run_id: runId,
          run_mode: "real",
          tasks: ["trade"],
          work_mode: "PIPELINE",
        },
      },
      { type: "run.started", project: "resume", actor: ACTOR, data: { run_id: runId } },
    ]);
    await resumeRun(def, deps(), runId, { project: "resume" });
    const r = await view("resume", runId);
    expect(r.view).toMatchObject({ status: "succeeded", enforcement: "shadow" });
    expect(orders).toEqual([]);
    expect((await r.receipt("trade")).enforcement).toBe("shadow");
  });

  it("the built-in http.post performs a POST in an enforced run and refuses a bad payload", async () => {
    const received: unknown[] = [];
    const server = await listen((body) => (received.push(body), { ok: true }));
    try {
      const url = `http://127.0.0.1:${port(server)}/hook`;
      const poster = trader(async (ctx) => ctx.effects.call("http.post", { url, body: { n: 1 } }), ["http.post"]);
      const r = await run({ name: "post", tasks: { post: { operator: poster } } });
      expect(received).toEqual([{ n: 1 }]);
      expect(JSON.parse(await r.output("post"))).toEqual({ status: 200, body: { ok: true } });
      const bad = trader(async (ctx) => ctx.effects.call("http.post", { body: {} }), ["http.post"]);
      const b = await run({ name: "post-bad", tasks: { post: { operator: bad } } });
      expect(b.attempt("post")).toMatchObject({ status: "failed", error_code: "ERR_EFFECT_PAYLOAD" });
      expect(b.ofType("effect.called")).toMatchObject([{ outcome: "failed", error_code: "ERR_EFFECT_PAYLOAD" }]);
    } finally {
      server.close();
    }
  });

  it("definePipeline rejects an effects map that is not handlers", () => {
    const error = expectError(
      () => definePipeline({ name: "bad", effects: { "broker.order": 42, "ok.effect": { shadow: () => 1 } } as never, tasks: { t: { operator: trader() } } }),
      "ERR_VALIDATION",
    );
    expect(error.issues).toEqual([{ code: "ERR_SCHEMA", path: ["effects", "broker.order"], message: expect.stringContaining("effect broker.order") }]);
  });
});

/** A real HTTP server answering every POST with `reply(body)`. */
async function listen(reply: (body: unknown) => unknown): Promise<Server> {
  const server = createServer((req, res) => {
    let text = "";
    req.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(reply(JSON.parse(text || "null"))));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

function port(server: Server): number {
  const address = server.address();
  return typeof address === "object" && address !== null ? address.port : 0;
}

describe("effects through the CLI", () => {
  let root: string;
  beforeAll(() => {
    root = join(dir, "cli-ws");
    expect(runledger(["init", root], { cwd: dir }).code).toBe(0);
  });
  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runledger(["-w", root, ...args], { cwd: dir, env });
  const json = (args: string[]) => {
    const result = cli([...args, "--json"]);
    return { code: result.code, body: JSON.parse(result.stdout) as Record<string, unknown>, stderr: result.stderr };
  };
  // A command operator calls its effects through `runledger effect` (the built CLI, run by node).
  const effect = `"${process.execPath}" "${CLI}" effect`;
  const pipeline = (name: string, command: string, effects = "[http.post]") => {
    const file = join(root, `${name}.yaml`);
    writeFileSync(
      file,
      `pipeline: ${name}\ntasks:\n  call:\n    run: ${JSON.stringify(command)}\n    effects: ${effects}\n    outputs: [outputs/result.json]\n    checks: [{ nonEmpty: outputs/result.json }]\n  later:\n    run: "echo ok > outputs/ok.txt"\n    outputs: [outputs/ok.txt]\n    checks: [{ nonEmpty: outputs/ok.txt }]\n`,
    );
    return file;
  };
  interface RunJson {
    id: string;
    status: string;
    enforcement: string;
    violations: { kind: string; task: string }[];
    tasks: {
      name: string;
      outcome: string;
      reason: string | null;
      attempts: { id: string; error_code: string | null; receipt_digest: string; effects: { effect: string; outcome: string; payload_digest: string }[] }[];
    }[];
  }
  const task = (run: RunJson, name: string) => run.tasks.find((t) => t.name === name)!;

  it("a command operator under --enforcement shadow: runledger effect prints the sink's answer, show --json lists the call, the receipt records shadow", () => {
    const file = pipeline("cmd-shadow", `${effect} http.post --payload '{"url":"http://127.0.0.1:9/never","body":{"a":1}}' > outputs/result.json`);
    const ran = json(["run", file, "--enforcement", "shadow", "--concurrency", "1"]);
    expect(ran.code).toBe(0);
    const run = ran.body["run"] as RunJson;
    expect(run).toMatchObject({ status: "succeeded", enforcement: "shadow" });
    const call = task(run, "call").attempts[0]!;
    expect(call.effects).toMatchObject([{ effect: "http.post", outcome: "recorded" }]);
    const shown = json(["show", run.id]).body["run"] as RunJson;
    expect(task(shown, "call").attempts[0]!.effects).toEqual(call.effects);
    expect(json(["explain", run.id, "call"]).body["explain"]).toMatchObject({ effects: [{ effect: "http.post", enforcement: "shadow", outcome: "recorded" }] });
    const receipt = json(["receipt", call.id]).body["receipt"] as { enforcement: string; effects: unknown[] };
    expect(receipt.enforcement).toBe("shadow");
    expect(receipt.effects).toHaveLength(1);
    const payload = cli(["artifacts", "get", call.effects[0]!.payload_digest]);
    expect(JSON.parse(payload.stdout)).toEqual({ url: "http://127.0.0.1:9/never", body: { a: 1 } });
    const later = json(["receipt", task(run, "later").attempts[0]!.id]).body["receipt"] as { enforcement: string };
    expect(later.enforcement).toBe("shadow");
  });

  it("a command operator's undeclared effect: ERR_EFFECT_UNDECLARED even when the command carries on, a violation, a halted run", () => {
    const file = pipeline("cmd-sneaky", `(${effect} broker.order --payload '{"qty":1}' 2> err.txt || true); echo '{}' > outputs/result.json`);
    const ran = json(["run", file, "--concurrency", "1"]);
    expect(ran.code).toBe(1);
    const run = ran.body["run"] as RunJson;
    expect(run).toMatchObject({ status: "halted", enforcement: "enforced", violations: [{ kind: "undeclared_effect", task: "call" }] });
    expect(task(run, "call").attempts[0]).toMatchObject({ error_code: "ERR_EFFECT_UNDECLARED", effects: [{ effect: "broker.order", outcome: "refused" }] });
    expect(task(run, "later")).toMatchObject({ outcome: "SKIPPED", reason: "run-halted: violation in task call" });
    // Seed 001 §8.4: the violation quarantines the operator; it does not run again until reviewed.
    expect(json(["operator", "show", "cmd-sneaky.call@0"]).body["operator"]).toMatchObject({
      status: "QUARANTINED",
      violations: [{ kind: "undeclared_effect" }],
    });
    const again = json(["run", file]);
    expect(again.code).toBe(2);
    expect(again.body["error"]).toMatchObject({ code: "ERR_OPERATOR_INACTIVE" });
  });

  it("an enforced command operator posts through the engine, the payload read from standard input", async () => {
    const received: unknown[] = [];
    const server = await listen((body) => (received.push(body), { score: 0.5 }));
    try {
      const url = `http://127.0.0.1:${port(server)}/score`;
      const file = pipeline("cmd-real", `echo '{"url":"${url}","body":{"text":"hi"}}' | ${effect} http.post > outputs/result.json`);
      const ran = await runledgerAsync(["-w", root, "run", file, "--json"], { cwd: dir });
      expect(ran.code).toBe(0);
      const run = JSON.parse(ran.stdout).run as RunJson;
      expect(task(run, "call").attempts[0]!.effects).toMatchObject([{ effect: "http.post", outcome: "executed" }]);
      expect(received).toEqual([{ text: "hi" }]);
    } finally {
      server.close();
    }
  });

  it("runledger effect outside an attempt, and a bad --enforcement, are usage errors", () => {
    const outside = json(["effect", "http.post", "--payload", "{}"]);
    expect(outside.code).toBe(2);
    expect(outside.body).toMatchObject({ status: "error", error: { code: "ERR_USAGE", message: expect.stringContaining("RUNLEDGER_EFFECTS_SOCKET") } });
    const bad = json(["run", pipeline("cmd-bad", "true"), "--enforcement", "sometimes"]);
    expect(bad.code).toBe(2);
    expect(bad.body).toMatchObject({ error: { code: "ERR_USAGE", message: expect.stringContaining("--enforcement sometimes") } });
  });
});
