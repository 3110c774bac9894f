import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { ReceiptSchema } from "../src/contracts/receipt.js";
import { runPipeline } from "../src/engine/run-pipeline.js";
import { Projector } from "../src/ledger/projections/projector.js";
import { defineOperator } from "../src/operators/define-operator.js";
import { definePipeline } from "../src/pipelines/define-pipeline.js";
import { loadPipelineYaml } from "../src/pipelines/load-yaml.js";
import { EXAMPLE_PIPELINE } from "../src/workspace/example-pipeline.js";
import { initWorkspace, type Workspace } from "../src/workspace/workspace.js";

const ACTOR = Object.freeze({ kind: "service", id: "engine-test" } as const);
let dir: string;
let ws: Workspace;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "runledger-engine-"));
  ws = await initWorkspace(join(dir, "ws"), ACTOR);
});
afterAll(async () => {
  await ws.close();
  rmSync(dir, { recursive: true, force: true });
});

const deps = () => ({ ledger: ws.ledger, artifacts: ws.artifacts, actor: ACTOR, workRoot: join(dir, "work") });
async function run(yaml: string, options: { noCache?: boolean; params?: Record<string, string>; project?: string } = {}) {
  const def = loadPipelineYaml(yaml, join(dir, "pipeline.yaml"));
  const project = options.project ?? "default";
  const id = await runPipeline(def, deps(), { project, concurrency: 2, ...options });
  const state = await new Projector(ws.ledger, { project }).catchUp();
  const view = state.runs[id]!;
  const attempts = (task: string) => view.tasks[task]!.attempts.map((a) => state.attempts[a]!);
  const output = async (task: string, path: string) => {
    const attempt = attempts(task).at(-1)!;
    const entry = attempt.outputs.find((o) => o.path === path)!;
    return Buffer.from(await ws.artifacts.get(entry.digest)).toString("utf8");
  };
  return { id, view, attempts, output, state };
}

// The pipeline `runledger init` writes: numbers (seq 1 100) then total (their sum), total critical.
const HELLO = EXAMPLE_PIPELINE;

describe("engine", () => {
  it("runs a command DAG: inputs are the upstream's passed outputs, receipts are recorded", async () => {
    const r = await run(HELLO, { project: "hello" });
    expect(r.view).toMatchObject({ status: "succeeded", result: "PASS" });
    expect(await r.output("total", "outputs/total.txt")).toBe("5050\n");
    const attempt = r.attempts("total")[0]!;
    const receipt = ReceiptSchema.parse(JSON.parse(Buffer.from(await ws.artifacts.get(attempt.receipt_digest!)).toString("utf8")));
    expect(receipt).toMatchObject({ processor_ref: "hello.total@0", mode: "real", result: "PASS", task: "total", run_id: r.id });
    expect(receipt.outputs_index).toEqual([{ path: "outputs/total.txt", digest: attempt.outputs[0]!.digest, size_bytes: 5 }]);
    expect(Object.keys(r.state.artifacts).length).toBeGreaterThanOrEqual(6);
    expect((await ws.ledger.verify()).ok).toBe(true);
  });

  it("gives commands only a minimal environment plus declared env and RUNLEDGER_* variables; inputs are read-only copies", async () => {
    const r = await run(
      `
pipeline: envcheck
tasks:
  a:
    run: "echo x > outputs/a.txt"
    outputs: [outputs/a.txt]
    checks: [{ nonEmpty: outputs/a.txt }]
  b:
    needs: [a]
    env: { GREETING: hello }
    run: "env | cut -d= -f1 | sort > outputs/env.txt; stat -c %a inputs/a/a.txt > outputs/ro.txt; echo tampered >> inputs/a/a.txt 2>/dev/null; true"
    outputs: [outputs/env.txt, outputs/ro.txt]
    checks: [{ nonEmpty: outputs/env.txt }]
`,
      { project: "env", noCache: true },
    );
    const names = (await r.output("b", "outputs/env.txt")).trim().split("\n");
    expect(names.filter((n) => !["PWD", "SHLVL", "_", "OLDPWD"].includes(n))).toEqual([
      "GREETING",
      "HOME",
      "LANG",
      "PATH",
      "RUNLEDGER_AS_OF",
      "RUNLEDGER_ATTEMPT_ID",
      "RUNLEDGER_EFFECTS_SOCKET",
      "RUNLEDGER_EFFECTS_TOKEN",
      "RUNLEDGER_PIPELINE_DIR",
      "RUNLEDGER_RUN_ID",
      "RUNLEDGER_TASK",
      "TMPDIR",
    ]);
    expect(await r.output("b", "outputs/ro.txt")).toBe("444\n");
    // Even a task that can write its input (as root) changes only its own copy, never the store.
    expect(await r.output("a", "outputs/a.txt")).toBe("x\n");
    expect((await ws.artifacts.verifyAll()).corrupt).toEqual([]);
  });

  it("no PASS, no read: a task whose input failed its check is SKIPPED, never started; independent branches go on", async () => {
    const r = await run(
      `
pipeline: gate
tasks:
  bad:
    critical: true
    run: "printf '' > outputs/empty.txt"
    outputs: [outputs/empty.txt]
    checks: [{ nonEmpty: outputs/empty.txt }]
  consumer:
    needs: [bad]
    run: "cat inputs/bad/empty.txt > outputs/copy.txt"
    outputs: [outputs/copy.txt]
    checks: [{ nonEmpty: outputs/copy.txt }]
  independent:
    run: "echo ok > outputs/ok.txt"
    outputs: [outputs/ok.txt]
    checks: [{ nonEmpty: outputs/ok.txt }]
`,
      { project: "gate" },
    );
    expect(r.view).toMatchObject({ status: "degraded", result: "FAIL" });
    expect(r.view.tasks["bad"]).toMatchObject({ outcome: "FAILED" });
    expect(r.attempts("bad")[0]).toMatchObject({ status: "failed", error_code: "ERR_CHECK_FAILED", checks: [{ result: "FAIL" }] });
    expect(r.view.tasks["consumer"]).toMatchObject({ outcome: "SKIPPED", reason: "upstream-not-passed", attempts: [] });
    expect(r.view.tasks["independent"]).toMatchObject({ outcome: "SUCCESS" });
  });

  it("a failed non-critical task makes the run failed, not degraded", async () => {
    const r = await run(
      `
pipeline: soft
tasks:
  flaky:
    run: "exit 3"
    outputs: [outputs/x.txt]
    checks: [{ nonEmpty: outputs/x.txt }]
`,
      { project: "soft" },
    );
    expect(r.view).toMatchObject({ status: "failed", result: "FAIL" });
    expect(r.attempts("flaky")[0]).toMatchObject({ error_code: "ERR_ADAPTER_INVOCATION", reason: expect.stringContaining("exited with 3") });
  });

  it("retries with new attempts until one passes; history keeps every attempt", async () => {
    const counter = join(dir, "counter");
    writeFileSync(counter, "");
    const r = await run(
      `
pipeline: retry
# The counter outlives each attempt outside its directory, where the sandbox lets nothing write.
sandbox: off
tasks:
  eventually:
    retries: 3
    env: { COUNTER: ${JSON.stringify(counter)} }
    run: 'echo . >> "$COUNTER"; [ $(wc -l < "$COUNTER") -ge 3 ] && echo done > outputs/r.txt'
    outputs: [outputs/r.txt]
    checks: [{ nonEmpty: outputs/r.txt }]
`,
      { project: "retry" },
    );
    expect(r.attempts("eventually").map((a) => [a.attempt_number, a.status])).toEqual([
      [1, "failed"],
      [2, "failed"],
      [3, "succeeded"],
    ]);
    expect(r.view.result).toBe("PASS");
  });

  it("a timeout kills the task's whole process tree and marks it FAILED with ERR_TIMEOUT", async () => {
    const pidFile = join(dir, "orphan.pid");
    const started = Date.now();
    const r = await run(
      `
pipeline: slow
# The group kill at a timeout, unsandboxed; test/sandbox.test.ts has the sandbox's own.
sandbox: off
tasks:
  sleepy:
    timeout: 500ms
    env: { PIDFILE: ${JSON.stringify(pidFile)} }
    run: 'sleep 30 & echo $! > "$PIDFILE"; sleep 30'
    outputs: [outputs/never.txt]
    checks: [{ nonEmpty: outputs/never.txt }]
`,
      { project: "slow" },
    );
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.attempts("sleepy")[0]).toMatchObject({ status: "failed", error_code: "ERR_TIMEOUT" });
    const orphan = Number(readFileSync(pidFile, "utf8"));
    expect(existsSync(`/proc/${orphan}`) && !readFileSync(`/proc/${orphan}/stat`, "utf8").includes(") Z ")).toBe(false);
  });

  it("fails an attempt whose declared output was not written", async () => {
    const r = await run(
      `
pipeline: lazy
tasks:
  lazy:
    run: "true"
    outputs: [outputs/promised.txt]
    checks: [{ nonEmpty: outputs/promised.txt }]
`,
      { project: "lazy" },
    );
    expect(r.attempts("lazy")[0]).toMatchObject({ status: "failed", reason: "declared output outputs/promised.txt was not written" });
  });

  it("re-runs idempotently: reused attempts point at the original; a change or --no-cache runs again", async () => {
    const first = await run(HELLO, { project: "cache" });
    const second = await run(HELLO, { project: "cache" });
    const reused = second.attempts("total")[0]!;
    expect(reused).toMatchObject({
      status: "reused",
      source_attempt_id: first.attempts("total")[0]!.attempt_id,
      receipt_digest: first.attempts("total")[0]!.receipt_digest,
    });
    expect(second.view.result).toBe("PASS");
    const fresh = await run(HELLO, { project: "cache", noCache: true });
    expect(fresh.attempts("numbers")[0]!.status).toBe("succeeded");
    const changed = await run(HELLO.replace("seq 1 100", "seq 1 10"), { project: "cache" });
    expect(changed.attempts("numbers")[0]!.status).toBe("succeeded");
    expect(changed.attempts("total")[0]!.status).toBe("succeeded");
    expect(await changed.output("total", "outputs/total.txt")).toBe("55\n");
    const uncached = await run(HELLO.replace("pipeline: hello", "pipeline: hello\ncache: false"), { project: "cache" });
    expect(uncached.attempts("numbers")[0]!.status).toBe("succeeded");
  });

  it("skips a task whose input is older than its maxStaleness, by the runs' as_of, before any reuse", async () => {
    const yaml = `
pipeline: fresh
tasks:
  source:
    run: "echo 1 > outputs/v.txt"
    outputs: [outputs/v.txt]
    checks: [{ nonEmpty: outputs/v.txt }]
  consumer:
    needs: [source]
    maxStaleness: 1h
    run: "cat inputs/source/v.txt > outputs/c.txt"
    outputs: [outputs/c.txt]
    checks: [{ nonEmpty: outputs/c.txt }]
`;
    const def = loadPipelineYaml(yaml, join(dir, "fresh.yaml"));
    const at = (iso: string) => runPipeline(def, deps(), { project: "fresh", asOf: new Date(iso) });
    await at("2026-01-01T00:00:00Z");
    const withinHour = await at("2026-01-01T00:30:00Z");
    const twoHoursLater = await at("2026-01-01T02:00:00Z");
    const state = await new Projector(ws.ledger, { project: "fresh" }).catchUp();
    expect(state.runs[withinHour]!.tasks["consumer"]).toMatchObject({ outcome: "SUCCESS", reason: "reused" });
    expect(state.runs[twoHoursLater]!.tasks["source"]).toMatchObject({ outcome: "SUCCESS", reason: "reused" });
    expect(state.runs[twoHoursLater]!.tasks["consumer"]).toMatchObject({
      outcome: "SKIPPED",
      reason: expect.stringContaining("input-stale: source is as of 2026-01-01T00:00:00.000Z"),
    });
  });

  it("runs in-process function operators with time from the run's as_of, never the wall clock", async () => {
    const stamp = defineOperator({
      id: "stamp",
      version: "1.0.0",
      input: z.object({ label: z.string() }),
      outputs: ["outputs/stamp.txt"],
      checks: [{ nonEmpty: "outputs/stamp.txt" }],
      timeout: "5s",
      run: async (ctx) => {
        writeFileSync(join(ctx.outputsDir, "stamp.txt"), `${ctx.params.label} ${ctx.clock.now().toISOString()} ${ctx.asOf.toISOString()}`);
        return { next: "ship the stamp" };
      },
    });
    const def = definePipeline({ name: "fn", tasks: { stamp: { operator: stamp, params: { label: "hi" } } } });
    const asOf = new Date("2020-02-02T02:02:02.000Z");
    const id = await runPipeline(def, deps(), { project: "fn", asOf });
    const state = await new Projector(ws.ledger, { project: "fn" }).catchUp();
    const attempt = state.attempts[state.runs[id]!.tasks["stamp"]!.attempts[0]!]!;
    expect(Buffer.from(await ws.artifacts.get(attempt.outputs[0]!.digest)).toString()).toBe("hi 2020-02-02T02:02:02.000Z 2020-02-02T02:02:02.000Z");
    expect(state.runs[id]).toMatchObject({ as_of: "2020-02-02T02:02:02.000Z", next: "ship the stamp", result: "PASS" });
  });
});
