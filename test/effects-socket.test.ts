import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { connect, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ArtifactStore } from "../src/artifacts/artifact-store.js";
import { RunledgerError } from "../src/core/errors.js";
import { callEffectSocket } from "../src/engine/effects-call.js";
import { EFFECTS_MARKER_NAME, EFFECTS_MARKER_TEXT } from "../src/engine/effects-dir.js";
import { EffectsSocket, MAX_CONNECTIONS, MAX_REQUEST_BYTES, MAX_REQUESTS_PER_ATTEMPT, type SocketClient } from "../src/engine/effects-socket.js";
import { sweepStaleEffectsDirs } from "../src/engine/effects-sweep.js";
import { runPipeline } from "../src/engine/run-pipeline.js";
import { Projector } from "../src/ledger/projections/projector.js";
import { defineOperator } from "../src/operators/define-operator.js";
import { definePipeline } from "../src/pipelines/define-pipeline.js";
import { initWorkspace, type Workspace } from "../src/workspace/workspace.js";
import { CLI, runledgerAsync } from "./support/cli.js";

const ACTOR = Object.freeze({ kind: "service", id: "effects-socket-test" } as const);
let dir: string;
let ws: Workspace;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "runledger-fxsock-"));
  ws = await initWorkspace(join(dir, "ws"), ACTOR);
});
afterAll(async () => {
  await ws.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A client that echoes, and remembers the failures the socket imposed on its attempt. */
function client(call: SocketClient["call"] = async (effect) => ({ effect })) {
  const failures: RunledgerError[] = [];
  return { failures, client: { call, failAttempt: (error: RunledgerError) => void failures.push(error) } };
}

/** A socket whose engine errors are collected rather than halting a run. */
function socketWithErrors() {
  const engineErrors: unknown[] = [];
  return { engineErrors, socket: new EffectsSocket((error) => engineErrors.push(error)) };
}

/** Connects, writes `data` (as much as the socket takes), and resolves to what came back before the connection closed. */
function exchange(path: string, data: string | Buffer): Promise<{ answer: string; writeError?: string }> {
  return new Promise((resolve) => {
    const socket = connect(path);
    let answer = "";
    let writeError: string | undefined;
    socket.on("data", (chunk: Buffer) => (answer += chunk.toString("utf8")));
    socket.on("error", (error: NodeJS.ErrnoException) => (writeError ??= error.code));
    socket.on("close", () => resolve({ answer, ...(writeError && { writeError }) }));
    socket.write(data, () => socket.end());
  });
}

const answers = (text: string) =>
  text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as { ok: boolean; result?: unknown; error?: { code: string; detail: string } });

describe("the effects socket's limits", () => {
  it("a request line over 1 MiB: answered once with ERR_EFFECTS_LIMIT, dropped, and the attempt its leading token names fails; the socket serves on", async () => {
    const { socket, engineErrors } = socketWithErrors();
    try {
      const a = client();
      const seat = await socket.register(a.client);
      const huge = `{"token":"${seat.token}","effect":"x","payload":"${"A".repeat(MAX_REQUEST_BYTES + 10)}"}\n`;
      const { answer } = await exchange(seat.path, huge);
      expect(answers(answer)).toEqual([{ ok: false, error: { code: "ERR_EFFECTS_LIMIT", detail: expect.stringContaining("1 MiB") } }]);
      expect(a.failures.map((e) => e.code)).toEqual(["ERR_EFFECTS_LIMIT"]);
      // The attempt stays failed: its later requests are refused with the same code.
      await expect(callEffectSocket(seat.path, seat.token, "x", null)).rejects.toMatchObject({ code: "ERR_EFFECTS_LIMIT" });
      // A line of exactly the limit is still a request.
      const b = client();
      const other = await socket.register(b.client);
      const prefix = `{"token":"${other.token}","effect":"x","payload":"`;
      const exact = `${prefix}${"B".repeat(MAX_REQUEST_BYTES - prefix.length - 2)}"}`;
      expect(Buffer.byteLength(exact)).toBe(MAX_REQUEST_BYTES);
      expect(answers((await exchange(other.path, `${exact}\n`)).answer)).toEqual([{ ok: true, result: { effect: "x" } }]);
      expect(b.failures).toEqual([]);
      expect(engineErrors).toEqual([]);
    } finally {
      await socket.close();
    }
  });

  it("an overlong line with no token is dropped without failing anyone; on a connection that named an attempt, it fails that attempt", async () => {
    const { socket, engineErrors } = socketWithErrors();
    try {
      const a = client();
      const seat = await socket.register(a.client);
      const anonymous = await exchange(seat.path, Buffer.alloc(3 * MAX_REQUEST_BYTES, 0x41));
      expect(answers(anonymous.answer)).toMatchObject([{ ok: false, error: { code: "ERR_EFFECTS_LIMIT" } }]);
      expect(a.failures).toEqual([]);
      const tied = await exchange(
        seat.path,
        Buffer.concat([Buffer.from(`${JSON.stringify({ token: seat.token, effect: "x", payload: 1 })}\n`), Buffer.alloc(2 * MAX_REQUEST_BYTES, 0x41)]),
      );
      expect(answers(tied.answer)).toMatchObject([
        { ok: true, result: { effect: "x" } },
        { ok: false, error: { code: "ERR_EFFECTS_LIMIT" } },
      ]);
      expect(a.failures.map((e) => e.code)).toEqual(["ERR_EFFECTS_LIMIT"]);
      expect(engineErrors).toEqual([]);
    } finally {
      await socket.close();
    }
  });

  it(`request ${MAX_REQUESTS_PER_ATTEMPT + 1} of an attempt fails it with ERR_EFFECTS_LIMIT; answers come in order`, async () => {
    const { socket } = socketWithErrors();
    try {
      let calls = 0;
      const a = client(async () => ++calls);
      const seat = await socket.register(a.client);
      const line = `${JSON.stringify({ token: seat.token, effect: "x", payload: null })}\n`;
      const { answer } = await exchange(seat.path, line.repeat(MAX_REQUESTS_PER_ATTEMPT + 5));
      const got = answers(answer);
      expect(got.slice(0, MAX_REQUESTS_PER_ATTEMPT).map((g) => g.result)).toEqual(Array.from({ length: MAX_REQUESTS_PER_ATTEMPT }, (_, i) => i + 1));
      expect(got[MAX_REQUESTS_PER_ATTEMPT]).toMatchObject({
        ok: false,
        error: { code: "ERR_EFFECTS_LIMIT", detail: expect.stringContaining(String(MAX_REQUESTS_PER_ATTEMPT)) },
      });
      expect(got).toHaveLength(MAX_REQUESTS_PER_ATTEMPT + 1);
      expect(calls).toBe(MAX_REQUESTS_PER_ATTEMPT);
      expect(a.failures.map((e) => e.code)).toEqual(["ERR_EFFECTS_LIMIT"]);
    } finally {
      await socket.close();
    }
  });

  it(`connection ${MAX_CONNECTIONS + 1} is refused with ERR_EFFECTS_LIMIT; close drops idle connections that never named an attempt`, async () => {
    const { socket } = socketWithErrors();
    const idle: Socket[] = [];
    try {
      const seat = await socket.register(client().client);
      for (let i = 0; i < MAX_CONNECTIONS; i++) {
        const c = connect(seat.path);
        c.on("error", () => undefined);
        idle.push(c);
        await new Promise((resolve) => c.once("connect", resolve));
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      await expect(callEffectSocket(seat.path, seat.token, "x", null)).rejects.toMatchObject({
        code: "ERR_EFFECTS_LIMIT",
        message: expect.stringContaining(String(MAX_CONNECTIONS)),
      });
      const started = Date.now();
      await socket.close();
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      for (const c of idle) c.destroy();
      await socket.close();
    }
  });

  it("an error in the socket's own code goes to its engine-error handler, drops that connection and never escapes; others are served", async () => {
    const { socket, engineErrors } = socketWithErrors();
    try {
      // A result JSON cannot carry: the broker never returns one, so answering it is the engine's own failure.
      const broken = await socket.register(client(async () => 1n).client);
      const fine = await socket.register(client().client);
      await expect(callEffectSocket(broken.path, broken.token, "x", null)).rejects.toMatchObject({ code: "ERR_EFFECT_FAILED" });
      expect(engineErrors).toHaveLength(1);
      expect(String(engineErrors[0])).toContain("BigInt");
      expect(await callEffectSocket(fine.path, fine.token, "x", null)).toEqual({ effect: "x" });
    } finally {
      await socket.close();
    }
  });
});

describe("a run meets the socket's limits and engine errors", () => {
  const deps = (artifacts: ArtifactStore = ws.artifacts) => ({ ledger: ws.ledger, artifacts, actor: ACTOR, workRoot: join(dir, "work") });
  /** Runs `body` with TMPDIR pointing at a fresh directory, where the run's socket directory is made. */
  async function withTmp<T>(body: (tmp: string) => Promise<T>): Promise<T> {
    const tmp = mkdtempSync(join(dir, "tmp-"));
    const saved = process.env["TMPDIR"];
    process.env["TMPDIR"] = tmp;
    try {
      return await body(tmp);
    } finally {
      if (saved === undefined) delete process.env["TMPDIR"];
      else process.env["TMPDIR"] = saved;
    }
  }
  const fxDirs = (tmp: string) => readdirSync(tmp).filter((name) => name.startsWith("runledger-fx-"));
  const flood = (size: number) =>
    `import os, socket\ns = socket.socket(socket.AF_UNIX)\ns.connect(os.environ['RUNLEDGER_EFFECTS_SOCKET'])\ntry:\n    s.sendall(('{"token":"%s","effect":"x","payload":"' % os.environ['RUNLEDGER_EFFECTS_TOKEN']).encode())\n    s.sendall(b'A' * ${size})\nexcept OSError:\n    pass\nopen('outputs/x', 'w').write('sent')\n`;

  it("64 MiB without a newline from a command: the engine survives with bounded memory, the attempt fails ERR_EFFECTS_LIMIT, the run ends FAIL, no socket directory is left", async () => {
    await withTmp(async (tmp) => {
      // Inline: the sandbox's private /tmp hides files under the test's temp dir from the command.
      const op = defineOperator({
        id: "flooder",
        version: "1.0.0",
        command: ["python3", "-c", flood(64 * 1024 * 1024)],
        effects: ["x"],
        outputs: ["outputs/x"],
        checks: [{ nonEmpty: "outputs/x" }],
        timeout: "60s",
      });
      const before = process.memoryUsage().rss;
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
      const id = await runPipeline(definePipeline({ name: "flood", tasks: { flood: { operator: op } } }), deps(), {
        project: "flood",
        concurrency: 1,
        noCache: true,
        enforcement: "shadow",
      }).finally(() => clearInterval(sampler));
      const state = await new Projector(ws.ledger, { project: "flood" }).catchUp();
      const run = state.runs[id]!;
      expect(run).toMatchObject({ status: "failed", result: "FAIL" });
      expect(state.attempts[run.tasks["flood"]!.attempts.at(-1)!]).toMatchObject({ status: "failed", error_code: "ERR_EFFECTS_LIMIT", retryable: false });
      expect(fxDirs(tmp)).toEqual([]);
      expect((peak - before) / 2 ** 20, "the request is never held whole").toBeLessThan(32);
    });
  });

  it("a command that broke a limit is stopped then, not left to run out its timebox", async () => {
    await withTmp(async () => {
      const script = `${flood(2 * 1024 * 1024)}import time\ntime.sleep(30)\n`;
      const op = defineOperator({
        id: "lingerer",
        version: "1.0.0",
        command: ["python3", "-c", script],
        effects: ["x"],
        outputs: ["outputs/x"],
        checks: [{ nonEmpty: "outputs/x" }],
        timeout: "60s",
      });
      const started = Date.now();
      const id = await runPipeline(definePipeline({ name: "linger", tasks: { linger: { operator: op } } }), deps(), {
        project: "linger",
        concurrency: 1,
        noCache: true,
        enforcement: "shadow",
      });
      const seconds = (Date.now() - started) / 1000;
      const state = await new Projector(ws.ledger, { project: "linger" }).catchUp();
      const run = state.runs[id]!;
      expect(state.attempts[run.tasks["linger"]!.attempts.at(-1)!]).toMatchObject({ status: "failed", error_code: "ERR_EFFECTS_LIMIT", retryable: false });
      expect(seconds, "stopped at the breach, not after its 30 s sleep").toBeLessThan(20);
    });
  });

  it("an engine error in an effect's bookkeeping halts the run: attempts in flight stop, the run closes halted FAIL with the coded error, no socket directory is left", async () => {
    await withTmp(async (tmp) => {
      // The store refuses the one payload that asks for it: the broker's own write fails mid-call.
      const failing: ArtifactStore = Object.create(ws.artifacts) as ArtifactStore;
      failing.put = (data, options) => (String(data).includes("disk-on-fire") ? Promise.reject(new Error("disk on fire")) : ws.artifacts.put(data, options));
      const caller = defineOperator({
        id: "caller",
        version: "1.0.0",
        command: ["sh", "-c", `"${process.execPath}" "${CLI}" effect x --payload '{"disk-on-fire":1}'; sleep 20; echo x > outputs/x`],
        effects: ["x"],
        outputs: ["outputs/x"],
        checks: [{ nonEmpty: "outputs/x" }],
        timeout: "60s",
      });
      const sleeper = defineOperator({
        id: "sleeper",
        version: "1.0.0",
        command: ["sh", "-c", "sleep 20; echo x > outputs/x"],
        outputs: ["outputs/x"],
        checks: [{ nonEmpty: "outputs/x" }],
        timeout: "60s",
      });
      const started = Date.now();
      const error = await runPipeline(
        definePipeline({
          name: "fault",
          tasks: { caller: { operator: caller }, sleeper: { operator: sleeper }, after: { operator: sleeper, needs: ["sleeper"] } },
        }),
        deps(failing),
        { project: "fault", concurrency: 2, noCache: true, enforcement: "shadow" },
      ).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(RunledgerError);
      expect(error).toMatchObject({ code: "ERR_INTERNAL", detail: "disk on fire" });
      expect(Date.now() - started, "nothing was waited out").toBeLessThan(15_000);
      const state = await new Projector(ws.ledger, { project: "fault" }).catchUp();
      const run = Object.values(state.runs)[0]!;
      expect(run).toMatchObject({ status: "halted", result: "FAIL" });
      expect(run.next).toContain("disk on fire");
      expect(state.attempts[run.tasks["sleeper"]!.attempts[0]!]).toMatchObject({ status: "failed", error_code: "ERR_RUN_HALTED" });
      expect(run.tasks["after"]).toMatchObject({ outcome: "SKIPPED", attempts: [] });
      expect(fxDirs(tmp)).toEqual([]);
    });
  });
});

describe("runledger effect when the socket fails it (the real CLI)", () => {
  /** A unix socket server in `dir` that answers every connection with `reply`. */
  async function fakeEngine(name: string, reply: (socket: Socket) => void): Promise<{ path: string; server: Server }> {
    const path = join(dir, name);
    const server = createServer((socket) => {
      socket.on("error", () => undefined);
      socket.once("data", () => reply(socket));
    });
    await new Promise<void>((resolve) => server.listen(path, resolve));
    return { path, server };
  }
  /** Runs `runledger effect` against `socket`, in both output modes, and expects the ERR_EFFECT_FAILED envelope and exit 1 from each. */
  async function expectEffectFailed(socket: string, why: RegExp, token = "stale"): Promise<void> {
    for (const json of [true, false]) {
      const ran = await runledgerAsync(["effect", "x", "--payload", "{}", ...(json ? ["--json"] : [])], {
        cwd: dir,
        env: { RUNLEDGER_EFFECTS_SOCKET: socket, RUNLEDGER_EFFECTS_TOKEN: token },
      });
      expect(ran.code, ran.stderr).toBe(1);
      expect(ran.stderr).not.toMatch(/Unhandled|node:events|\n\s+at /);
      if (json) expect(JSON.parse(ran.stdout)).toMatchObject({ status: "error", error: { code: "ERR_EFFECT_FAILED", message: expect.stringMatching(why) } });
      else expect(ran.stderr).toMatch(new RegExp(`why: .*${why.source}[\\s\\S]*code: ERR_EFFECT_FAILED`));
    }
  }

  it("no socket at the path, or a path that is not a socket", async () => {
    await expectEffectFailed(join(dir, "no-such.sock"), /cannot reach the effects socket/);
    const file = join(dir, "plain-file");
    writeFileSync(file, "not a socket");
    await expectEffectFailed(file, /cannot reach the effects socket/);
  });

  it("a stale token on a live socket", async () => {
    const { socket } = socketWithErrors();
    try {
      const seat = await socket.register(client().client);
      await expectEffectFailed(seat.path, /no attempt holds that token/);
    } finally {
      await socket.close();
    }
  });

  it("a connection closed mid-answer, and an answer that is not JSON", async () => {
    const cut = await fakeEngine("cut.sock", (socket) => {
      socket.write('{"ok":tr');
      socket.destroy();
    });
    const garbled = await fakeEngine("garbled.sock", (socket) => socket.end("hello\n"));
    try {
      await expectEffectFailed(cut.path, /closed without an answer/);
      await expectEffectFailed(garbled.path, /not JSON/);
    } finally {
      cut.server.close();
      garbled.server.close();
    }
  });
});

describe("the sweep of socket directories", () => {
  const hourAgo = new Date(Date.now() - 3_600_000);
  /** A runledger-fx-* directory under `base` with a canary, aged an hour (never listened on: stale), marked as runledger's or not. */
  function lookAlike(base: string, name: string, marked: boolean): string {
    const path = join(base, `runledger-fx-${name}`);
    mkdirSync(path);
    writeFileSync(join(path, "canary"), "canary");
    if (marked) writeFileSync(join(path, EFFECTS_MARKER_NAME), EFFECTS_MARKER_TEXT);
    utimesSync(path, hourAgo, hourAgo);
    return path;
  }

  it("removes runledger's own stale directories and leaves those without the marker, with a wrong marker, and links (their targets untouched)", async () => {
    const base = mkdtempSync(join(dir, "sweep-"));
    const own = lookAlike(base, "own", true);
    const unmarked = lookAlike(base, "unmarked", false);
    const forged = lookAlike(base, "forged", false);
    writeFileSync(join(forged, EFFECTS_MARKER_NAME), "something else entirely\n");
    const target = mkdtempSync(join(dir, "target-"));
    writeFileSync(join(target, EFFECTS_MARKER_NAME), EFFECTS_MARKER_TEXT);
    writeFileSync(join(target, "canary"), "canary");
    utimesSync(target, hourAgo, hourAgo);
    symlinkSync(target, join(base, "runledger-fx-link"));
    // A marker that is a link to a real marker elsewhere does not count either.
    const linkedMarker = lookAlike(base, "linked-marker", false);
    symlinkSync(join(target, EFFECTS_MARKER_NAME), join(linkedMarker, EFFECTS_MARKER_NAME));
    expect(await sweepStaleEffectsDirs(base)).toBe(1);
    expect(existsSync(own)).toBe(false);
    for (const kept of [unmarked, forged, linkedMarker, join(base, "runledger-fx-link"), target])
      expect(readFileSync(join(kept, "canary"), "utf8")).toBe("canary");
    expect(existsSync(join(target, EFFECTS_MARKER_NAME))).toBe(true);
  });

  it.skipIf(process.getuid?.() !== 0)("leaves another user's marked directory, canary and all (run as root)", async () => {
    const base = mkdtempSync(join(dir, "sweep-uid-"));
    const others = lookAlike(base, "others", true);
    for (const path of [join(others, "canary"), join(others, EFFECTS_MARKER_NAME), others]) chownSync(path, 65534, 65534);
    utimesSync(others, hourAgo, hourAgo);
    const own = lookAlike(base, "own", true);
    expect(await sweepStaleEffectsDirs(base)).toBe(1);
    expect(existsSync(own)).toBe(false);
    expect(readFileSync(join(others, "canary"), "utf8")).toBe("canary");
  });
});
