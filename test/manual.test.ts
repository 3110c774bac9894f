import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../src/contracts/common.js";
import { ReceiptSchema } from "../src/contracts/receipt.js";
import type { Clock } from "../src/core/clock.js";
import { completeTask, resumeRun, runPipeline } from "../src/engine/index.js";
import type { LedgerEvent } from "../src/ledger/ledger-event.js";
import { Projector } from "../src/ledger/projections/projector.js";
import { defineOperator } from "../src/operators/define-operator.js";
import { definePipeline, type PipelineDefinition } from "../src/pipelines/define-pipeline.js";
import { loadPipelineYaml } from "../src/pipelines/load-yaml.js";
import { initWorkspace, type Workspace } from "../src/workspace/workspace.js";
import { expectError, expectErrorAsync } from "./support/expect-error.js";

const ENGINE: Actor = { kind: "service", id: "engine-test" };
const ALICE: Actor = { kind: "human", id: "alice" };
let dir: string;
let ws: Workspace;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "runledger-manual-"));
  ws = await initWorkspace(join(dir, "ws"), ENGINE);
});
afterAll(async () => {
  await ws.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A clock the test moves by hand. */
function handClock(start: string): Clock & { set(at: string): void } {
  let now = new Date(start);
  return { now: () => new Date(now), set: (at) => (now = new Date(at)) };
}

const deps = (actor: Actor, clock?: Clock) => ({ ledger: ws.ledger, artifacts: ws.artifacts, actor, workRoot: join(dir, "work"), ...(clock ? { clock } : {}) });

/** prep → survey (manual) → report; side runs beside them. */
const SURVEY = (extra = "") => `
pipeline: survey
tasks:
  prep:
    run: "printf 'name\\nada\\nalan\\n' > outputs/people.csv"
    outputs: [outputs/people.csv]
    checks: [{ rowCount: { path: outputs/people.csv, min: 1 } }]
  side:
    run: "echo side > outputs/side.txt"
    outputs: [outputs/side.txt]
    checks: [{ nonEmpty: outputs/side.txt }]
  survey:
    needs: [prep]
    manual:
      by: human
      steps: ["ask each person on inputs/prep/people.csv", "record the answers in answers.csv"]
    outputs: [outputs/answers.csv]
    checks:
      - rows: { path: outputs/answers.csv, expr: 'answer != ""' }
      - command: { run: ["grep", "-q", "ada", "outputs/answers.csv"] }
    timeout: 30m
${extra}
  report:
    needs: [survey]
    run: "wc -l < inputs/survey/answers.csv > outputs/count.txt"
    outputs: [outputs/count.txt]
    checks: [{ nonEmpty: outputs/count.txt }]
`;

function evidence(name: string, text: string): string {
  const folder = mkdtempSync(join(dir, "evidence-"));
  const file = join(folder, name);
  writeFileSync(file, text);
  return file;
}

async function events(runId: string): Promise<LedgerEvent[]> {
  const all: LedgerEvent[] = [];
  for await (const event of ws.ledger.read())
    if ((event.data as { run_id?: string }).run_id === runId || "attempt_id" in (event.data as object)) all.push(event);
  return all;
}

async function state() {
  return new Projector(ws.ledger).catchUp();
}

async function startSurvey(def: PipelineDefinition, clock?: Clock): Promise<string> {
  return runPipeline(def, deps(ENGINE, clock), { project: "default", concurrency: 2, asOf: new Date("2026-11-30T09:00:00Z") });
}

describe("manual operators: definition", () => {
  it("defineOperator infers kind manual from steps and holds it to steps and outputs", () => {
    const op = defineOperator({
      id: "call",
      version: "1.0.0",
      steps: ["call the client"],
      outputs: ["outputs/notes.md"],
      checks: [{ nonEmpty: "outputs/notes.md" }],
      timeout: "20m",
    });
    expect(op).toMatchObject({ kind: "manual", steps: ["call the client"] });
    const error = expectError(
      () => defineOperator({ id: "call", version: "1.0.0", kind: "manual", checks: [{ nonEmpty: "outputs/x" }], timeout: "20m", command: "true" }),
      "ERR_VALIDATION",
    );
    expect(error.issues.map((i) => i.path.join("."))).toEqual(expect.arrayContaining(["steps", "outputs", "command"]));
    const twice = expectError(
      () =>
        defineOperator({
          id: "call",
          version: "1.0.0",
          steps: ["x"],
          outputs: ["outputs/a/n.txt", "outputs/b/n.txt"],
          checks: [{ nonEmpty: "outputs/a/n.txt" }],
          timeout: "1m",
        }),
      "ERR_VALIDATION",
    );
    expect(twice.issues[0]?.message).toContain("two outputs named n.txt");
  });

  it("a YAML manual task without steps, or with run:, is ERR_VALIDATION naming the path", () => {
    const noSteps = expectError(() => loadPipelineYaml(SURVEY().replace(/ {6}steps: .*\n/, ""), join(dir, "p.yaml")), "ERR_VALIDATION");
    expect(noSteps.issues.map((i) => i.path.join("."))).toContain("tasks.survey.manual.steps");
    const both = expectError(
      () => loadPipelineYaml(SURVEY().replace("    needs: [prep]\n", "    needs: [prep]\n    run: echo\n"), join(dir, "p.yaml")),
      "ERR_VALIDATION",
    );
    expect(both.issues.map((i) => i.path.join("."))).toContain("tasks.survey.manual");
    const env = expectError(
      () => loadPipelineYaml(SURVEY().replace("    needs: [prep]\n", "    needs: [prep]\n    env: { A: b }\n"), join(dir, "p.yaml")),
      "ERR_VALIDATION",
    );
    expect(env.issues.map((i) => i.path.join("."))).toContain("tasks.survey.env");
  });
});

describe("manual operators: engine", () => {
  it("waits at a manual task, runs what does not depend on it, and does not finish the run", async () => {
    const clock = handClock("2026-11-30T09:00:00Z");
    const runId = await startSurvey(loadPipelineYaml(SURVEY(), join(dir, "survey.yaml")), clock);
    const s = await state();
    const run = s.runs[runId]!;
    expect(run.status).toBe("waiting");
    expect(run.finished_at_utc).toBeNull();
    expect(Object.fromEntries(Object.values(run.tasks).map((t) => [t.name, t.outcome]))).toEqual({
      prep: "SUCCESS",
      side: "SUCCESS",
      survey: "WAITING",
      report: "PENDING",
    });
    const waiting = s.attempts[run.tasks["survey"]!.attempts[0]!]!;
    expect(waiting).toMatchObject({ status: "waiting", manual: { by: "human", deadline_utc: "2026-11-30T09:30:00.000Z", outputs: ["outputs/answers.csv"] } });
    expect(waiting.manual?.steps).toHaveLength(2);
    const types = (await events(runId)).map((e) => e.type);
    expect(types).toContain("run.suspended");
    expect(types).not.toContain("run.finished");
  });

  it("resume keeps a waiting manual attempt: nothing abandoned, nothing re-run, the run still waits", async () => {
    const def = loadPipelineYaml(SURVEY(), join(dir, "survey.yaml"));
    const runId = await startSurvey(def);
    const before = (await state()).runs[runId]!;
    await resumeRun(def, deps(ENGINE), runId, { project: "default" });
    const after = (await state()).runs[runId]!;
    expect(after.status).toBe("waiting");
    expect(after.tasks["survey"]!.attempts).toEqual(before.tasks["survey"]!.attempts);
    expect(after.tasks["prep"]!.attempts).toEqual(before.tasks["prep"]!.attempts);
    expect((await events(runId)).map((e) => e.type)).not.toContain("attempt.abandoned");
  });

  it("complete refuses bad evidence and a task that is not waiting, recording nothing", async () => {
    const def = loadPipelineYaml(SURVEY(), join(dir, "survey.yaml"));
    const runId = await startSurvey(def);
    const head = (await ws.ledger.head()).seq;
    const wrong = await expectErrorAsync(
      () => completeTask(def, deps(ALICE), runId, { task: "survey", files: [evidence("answer.csv", "x")], result: "PASS" }, { project: "default" }),
      "ERR_EVIDENCE_MISMATCH",
    );
    expect(wrong.issues.map((i) => i.path.join("."))).toEqual(["evidence.0", "outputs.0"]);
    await expectErrorAsync(
      () => completeTask(def, deps(ALICE), runId, { task: "survey", files: [join(dir, "no-such", "answers.csv")], result: "PASS" }, { project: "default" }),
      "ERR_EVIDENCE_MISMATCH",
    );
    const notWaiting = await expectErrorAsync(
      () => completeTask(def, deps(ALICE), runId, { task: "prep", files: [evidence("people.csv", "x")], result: "PASS" }, { project: "default" }),
      "ERR_NOT_WAITING",
    );
    expect(notWaiting.detail).toContain("SUCCESS");
    await expectErrorAsync(() => completeTask(def, deps(ALICE), runId, { task: "nope", files: [], result: "PASS" }, { project: "default" }), "ERR_USAGE");
    expect((await ws.ledger.head()).seq).toBe(head);
    expect((await state()).runs[runId]!.status).toBe("waiting");
  });

  it("complete records the outcome with its actor, runs the checks on the evidence, and closes the run", async () => {
    const def = loadPipelineYaml(SURVEY(), join(dir, "survey.yaml"));
    const runId = await startSurvey(def);
    const file = evidence("answers.csv", "name,answer\nada,yes\nalan,later\n");
    await completeTask(
      def,
      deps(ALICE),
      runId,
      { task: "survey", files: [file], result: "PASS", note: "both reached" },
      { project: "default", next: "follow up with alan" },
    );
    const s = await state();
    const run = s.runs[runId]!;
    expect(run).toMatchObject({ status: "succeeded", result: "PASS", next: "follow up with alan" });
    expect(run.tasks["report"]!.outcome).toBe("SUCCESS");
    const attempt = s.attempts[run.tasks["survey"]!.attempts[0]!]!;
    expect(attempt.completion).toMatchObject({ actor: ALICE, result: "PASS", note: "both reached", late: false });
    expect(attempt.checks.map((c) => c.result)).toEqual(["PASS", "PASS"]);
    expect(Buffer.from(await ws.artifacts.get(attempt.outputs[0]!.digest)).toString("utf8")).toBe("name,answer\nada,yes\nalan,later\n");
    const receipt = ReceiptSchema.parse(JSON.parse(Buffer.from(await ws.artifacts.get(attempt.receipt_digest!)).toString("utf8")));
    expect(receipt.processor_info).toBe("manual:survey.survey@0 by human:alice");
    const all = await events(runId);
    expect(all.find((e) => e.type === "attempt.completed")?.actor).toEqual(ALICE);
    const again = await expectErrorAsync(
      () => completeTask(def, deps(ALICE), runId, { task: "survey", files: [file], result: "PASS" }, { project: "default" }),
      "ERR_NOT_WAITING",
    );
    expect(again.detail).toContain("already finished");
    expect(all.find((e) => e.type === "attempt.succeeded" && e.data.attempt_id === attempt.attempt_id)?.actor).toEqual(ALICE);
    expect(all.filter((e) => e.type === "stoprule.fired")).toEqual([]);
  });

  it("a failing check fails the attempt whatever the stated result; a stated FAIL fails it too", async () => {
    const def = loadPipelineYaml(SURVEY(), join(dir, "survey.yaml"));
    const checked = await startSurvey(def);
    await completeTask(
      def,
      deps(ALICE),
      checked,
      { task: "survey", files: [evidence("answers.csv", "name,answer\nalan,yes\n")], result: "PASS" },
      { project: "default" },
    );
    let s = await state();
    expect(s.runs[checked]).toMatchObject({ status: "failed", result: "FAIL" });
    expect(s.runs[checked]!.tasks["report"]!).toMatchObject({ outcome: "SKIPPED", reason: "upstream-not-passed" });
    expect(s.attempts[s.runs[checked]!.tasks["survey"]!.attempts[0]!]).toMatchObject({ status: "failed", error_code: "ERR_CHECK_FAILED" });

    const stated = await startSurvey(def);
    await completeTask(
      def,
      deps(ALICE),
      stated,
      { task: "survey", files: [evidence("answers.csv", "name,answer\nada,no\n")], result: "FAIL", note: "nobody answered" },
      { project: "default" },
    );
    s = await state();
    const attempt = s.attempts[s.runs[stated]!.tasks["survey"]!.attempts[0]!]!;
    expect(attempt).toMatchObject({ status: "failed", error_code: "ERR_MANUAL_FAILED" });
    expect(attempt.reason).toContain("nobody answered");
    expect(attempt.checks.map((c) => c.result)).toEqual(["PASS", "PASS"]);
  });

  it("with retries, a failed completion leaves a new waiting attempt; a stated WARN passes as WARN, which report does not accept", async () => {
    const def = loadPipelineYaml(SURVEY().replace("    timeout: 30m\n", "    timeout: 30m\n    retries: 1\n"), join(dir, "retry.yaml"));
    const runId = await startSurvey(def);
    await completeTask(
      def,
      deps(ALICE),
      runId,
      { task: "survey", files: [evidence("answers.csv", "name,answer\nalan,\n")], result: "PASS" },
      { project: "default" },
    );
    let s = await state();
    expect(s.runs[runId]!.status).toBe("waiting");
    const [first, second] = s.runs[runId]!.tasks["survey"]!.attempts.map((id) => s.attempts[id]!);
    expect([first?.status, second?.status, second?.attempt_number]).toEqual(["failed", "waiting", 2]);
    await completeTask(
      def,
      deps(ALICE),
      runId,
      { task: "survey", files: [evidence("answers.csv", "name,answer\nada,yes\n")], result: "WARN" },
      { project: "default" },
    );
    s = await state();
    const third = s.attempts[s.runs[runId]!.tasks["survey"]!.attempts[1]!]!;
    expect([third.status, third.result, third.checks.map((c) => c.result)]).toEqual(["succeeded", "WARN", ["PASS", "PASS"]]);
    expect(s.runs[runId]!.tasks["report"]).toMatchObject({ outcome: "SKIPPED", reason: "upstream-not-passed" });
  });

  it("a completion after the timebox, on the engine's clock, fires timebox-exceeded for the task", async () => {
    const clock = handClock("2026-11-30T09:00:00Z");
    const def = loadPipelineYaml(SURVEY(), join(dir, "survey.yaml"));
    const runId = await startSurvey(def, clock);
    clock.set("2026-11-30T09:31:00Z");
    await completeTask(
      def,
      deps(ALICE, clock),
      runId,
      { task: "survey", files: [evidence("answers.csv", "name,answer\nada,yes\n")], result: "PASS" },
      { project: "default", next: "shorten the survey" },
    );
    const s = await state();
    const run = s.runs[runId]!;
    expect(run.stop_rules.map((r) => [r.rule, r.subject])).toEqual([["timebox-exceeded", "survey"]]);
    expect(s.attempts[run.tasks["survey"]!.attempts[0]!]!.completion?.late).toBe(true);
    expect(run).toMatchObject({ status: "succeeded", counted: true });
  });

  it("a task stopped at its timebox before the run waits keeps its stop rule, recorded once", async () => {
    const slow = `
  slow:
    run: "sleep 5; echo late > outputs/slow.txt"
    outputs: [outputs/slow.txt]
    checks: [{ nonEmpty: outputs/slow.txt }]
    timeout: 300ms`;
    const def = loadPipelineYaml(SURVEY(slow), join(dir, "slow.yaml"));
    const runId = await startSurvey(def);
    expect((await state()).runs[runId]!.stop_rules.map((r) => [r.rule, r.subject])).toEqual([["timebox-exceeded", "slow"]]);
    await completeTask(
      def,
      deps(ALICE),
      runId,
      { task: "survey", files: [evidence("answers.csv", "name,answer\nada,yes\n")], result: "PASS" },
      { project: "default", next: "split the slow task" },
    );
    const run = (await state()).runs[runId]!;
    expect(run.status).toBe("failed");
    expect(run.stop_rules.map((r) => [r.rule, r.subject])).toEqual([["timebox-exceeded", "slow"]]);
  });

  it("a TypeScript pipeline takes a manual operator from defineOperator", async () => {
    const review = defineOperator({
      id: "review",
      version: "1.0.0",
      steps: ["read the draft", "write verdict.txt"],
      by: "llm",
      outputs: ["outputs/verdict.txt"],
      checks: [{ nonEmpty: "outputs/verdict.txt" }],
      timeout: "10m",
    });
    const def = definePipeline({ name: "reviewed", tasks: { review: { operator: review } } });
    const runId = await runPipeline(def, deps(ENGINE), { project: "default" });
    let s = await state();
    expect(s.runs[runId]!.status).toBe("waiting");
    expect(s.attempts[s.runs[runId]!.tasks["review"]!.attempts[0]!]!.manual?.by).toBe("llm");
    mkdirSync(join(dir, "llm"), { recursive: true });
    writeFileSync(join(dir, "llm", "verdict.txt"), "approve\n");
    await completeTask(
      def,
      deps({ kind: "llm", id: "reviewer" }),
      runId,
      { task: "review", files: [join(dir, "llm", "verdict.txt")], result: "PASS" },
      { project: "default", next: "merge" },
    );
    s = await state();
    expect(s.runs[runId]).toMatchObject({ status: "succeeded", result: "PASS" });
    expect(s.attempts[s.runs[runId]!.tasks["review"]!.attempts[0]!]!.completion?.actor).toEqual({ kind: "llm", id: "reviewer" });
  });
});
