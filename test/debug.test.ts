import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DebugPacketSchema } from "../src/contracts/debug-packet.js";
import { fixedClock } from "../src/core/clock.js";
import { addExperiment } from "../src/debug/add-experiment.js";
import { addHypothesis, HYPOTHESES_EXCEEDED_RULE } from "../src/debug/add-hypothesis.js";
import { closeDebugPacket } from "../src/debug/close-debug-packet.js";
import { debugContext, NO_PASSING_RUN } from "../src/debug/debug-context.js";
import { debugPacketOf } from "../src/debug/debug-packet-of.js";
import { describeCheckFailure } from "../src/debug/describe-check-failure.js";
import { findDebugPacket } from "../src/debug/find-debug-packet.js";
import { missingDebugPackets } from "../src/debug/missing-debug-packets.js";
import { openDebugPacket } from "../src/debug/open-debug-packet.js";
import { shellQuote } from "../src/debug/shell-quote.js";
import { runPipeline } from "../src/engine/run-pipeline.js";
import { Projector } from "../src/ledger/projections/projector.js";
import { defineOperator } from "../src/operators/define-operator.js";
import { definePipeline } from "../src/pipelines/define-pipeline.js";
import { loadPipelineFile } from "../src/pipelines/load-yaml.js";
import { initWorkspace, type Workspace } from "../src/workspace/workspace.js";
import { expectErrorAsync } from "./support/expect-error.js";

const ACTOR = Object.freeze({ kind: "human", id: "debugger" } as const);
let dir: string;
let ws: Workspace;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "runledger-debug-"));
  ws = await initWorkspace(join(dir, "ws"), ACTOR);
});
afterAll(async () => {
  await ws.close();
  rmSync(dir, { recursive: true, force: true });
});

const deps = (clock?: string) => ({
  ledger: ws.ledger,
  artifacts: ws.artifacts,
  actor: ACTOR,
  workRoot: join(dir, "work"),
  ...(clock ? { clock: fixedClock(clock) } : {}),
});
const state = () => new Projector(ws.ledger).catchUp();

/** A two-task pipeline file: `source` writes VALUE, `digits` copies it and checks it is a number. */
function pipelineFile(name: string, mode: string): string {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(
    path,
    `pipeline: ${name}
mode: ${mode}
tasks:
  source:
    env: { VALUE: "3" }
    run: echo "$VALUE" > outputs/n.txt
    outputs: [outputs/n.txt]
    checks: [{ nonEmpty: outputs/n.txt }]
    timeout: 10s
  digits:
    needs: [source]
    run: cp inputs/source/n.txt outputs/n.txt
    outputs: [outputs/n.txt]
    checks:
      - command: { run: ["grep", "-qx", "[0-9]*", "outputs/n.txt"] }
    timeout: 10s
`,
  );
  return path;
}

async function runFile(path: string, params: Record<string, string>, next?: string) {
  const id = await runPipeline(await loadPipelineFile(path), deps(), {
    project: "default",
    modes: ws.modes,
    params,
    asOf: new Date("2026-01-02T03:04:05.000Z"),
    ...(next ? { next } : {}),
  });
  const s = await state();
  return s.runs[id]!;
}

describe("DebugPackets", () => {
  const contract = () => pipelineFile("numbers", "CONTRACT");

  it("fills context from the last passing run: params, env and the input digests that changed", async () => {
    const path = contract();
    const first = await runFile(path, { VALUE: "3" });
    expect(first.result).toBe("PASS");
    const failed = await runFile(path, { VALUE: "x" });
    expect(failed.result).toBe("FAIL");
    const s = await state();
    const context = await debugContext(s, ws.artifacts, failed);
    expect(context.compared_with).toMatchObject({ run_id: first.id, result: "PASS" });
    expect(context.params).toEqual([{ name: "VALUE", before: "3", after: "x" }]);
    const byTask = Object.fromEntries(context.tasks.map((t) => [t.task, t.changes.map((c) => c.field)]));
    expect(byTask["source"]).toEqual(["env_fingerprint"]);
    expect(byTask["digits"]).toEqual(["inputs.source/outputs/n.txt"]);
    expect(context.pipeline_digest).toBeNull();
    expect(context.summary).toContain(`compared with run ${first.id} (PASS): changed param VALUE`);

    const id = await openDebugPacket(deps(), s, failed);
    const view = findDebugPacket(await state(), id.slice(0, 8));
    const packet = debugPacketOf(view);
    expect(DebugPacketSchema.safeParse(packet).success).toBe(true);
    expect(packet.symptom).toContain("digits: check failed: command:grep -qx [0-9]* outputs/n.txt");
    expect(packet.minimal_repro.commands[0]).toBe(`runledger run ${path} --param VALUE=x --run-mode real --as-of 2026-01-02T03:04:05.000Z`);
    expect(packet.minimal_repro.commands[1]).toMatch(/^cd \S+\/digits\.1 && env RUNLEDGER_PIPELINE_DIR=\S+ sh -c 'cp inputs\/source\/n.txt outputs\/n.txt'$/);
    expect(packet.minimal_repro.expected).toBe("digits: check command:grep -qx [0-9]* outputs/n.txt passes");
    expect(packet.minimal_repro.actual).toBe("digits: check command:grep -qx [0-9]* outputs/n.txt FAIL: exit code 1");
    const inputs = packet.minimal_repro.inputs as { params: Record<string, string>; tasks: Record<string, Record<string, string>> };
    expect(inputs.params).toEqual({ VALUE: "x" });
    expect(inputs.tasks["digits"]!["source/outputs/n.txt"]).toBe(s.attempts[failed.tasks["source"]!.attempts.at(-1)!]!.outputs[0]!.digest);
    const now = await state();
    await expectErrorAsync(() => openDebugPacket(deps(), now, now.runs[failed.id]!), "ERR_USAGE");
    await expectErrorAsync(() => openDebugPacket(deps(), now, now.runs[first.id]!), "ERR_RUN_NOT_FAILED");
  });

  it("says there is no passing run to compare with when the pipeline never passed before the failure", async () => {
    const path = pipelineFile("fresh", "CONTRACT");
    const failed = await runFile(path, { VALUE: "y" });
    await runFile(path, { VALUE: "4" }); // a later pass is not "what changed" before the failure
    const context = await debugContext(await state(), ws.artifacts, failed);
    expect(context).toEqual({ summary: NO_PASSING_RUN, compared_with: null, pipeline_digest: null, params: [], tasks: [] });
  });

  it("holds at most three hypotheses: a fourth is refused and, on a CONTRACT run, fires the stop rule", async () => {
    const contractRun = await runFile(pipelineFile("hyp", "CONTRACT"), { VALUE: "z" });
    const pipelineRun = await runFile(pipelineFile("hyp-pipe", "PIPELINE"), { VALUE: "z" });
    for (const run of [contractRun, pipelineRun]) {
      const id = await openDebugPacket(deps(), await state(), run, { symptom: "  digits rejects z  " });
      for (const h of ["one", "two", "three"]) await addHypothesis(deps(), findDebugPacket(await state(), id), h);
      const s = await state();
      await expectErrorAsync(() => addHypothesis(deps(), findDebugPacket(s, id), "four"), "ERR_HYPOTHESES_EXCEEDED");
      await expectErrorAsync(() => addHypothesis(deps(), findDebugPacket(s, id), "  "), "ERR_USAGE");
      const after = await state();
      expect(after.debugPackets[id]!.hypotheses).toEqual(["one", "two", "three"]);
      expect(after.debugPackets[id]!.symptom).toBe("digits rejects z");
    }
    const s = await state();
    expect(s.runs[contractRun.id]!.stop_rules.map((r) => r.rule)).toContain(HYPOTHESES_EXCEEDED_RULE);
    expect(s.runs[contractRun.id]!.stop_rules.find((r) => r.rule === HYPOTHESES_EXCEEDED_RULE)).toMatchObject({ mode: "CONTRACT" });
    expect(s.runs[pipelineRun.id]!.stop_rules.map((r) => r.rule)).not.toContain(HYPOTHESES_EXCEEDED_RULE);
  });

  it("stores experiment evidence as artifacts and needs at least one readable file", async () => {
    const run = await runFile(pipelineFile("exp", "CONTRACT"), { VALUE: "w" });
    const id = await openDebugPacket(deps(), await state(), run);
    const packet = findDebugPacket(await state(), id);
    await expectErrorAsync(() => addExperiment(deps(), packet, { change: "c", result: "r", evidence: [] }), "ERR_USAGE");
    await expectErrorAsync(() => addExperiment(deps(), packet, { change: "c", result: "r", evidence: [join(dir, "nope.txt")] }), "ERR_USAGE");
    await expectErrorAsync(() => addExperiment(deps(), packet, { change: " ", result: "r", evidence: [join(dir, "nope.txt")] }), "ERR_USAGE");
    const log = join(dir, "log.txt");
    writeFileSync(log, "grep exits 1 on 'w'\n");
    const [stored] = await addExperiment(deps(), packet, { change: "VALUE=7", result: "digits passes", evidence: [log] });
    expect(Buffer.from(await ws.artifacts.get(stored!.digest)).toString("utf8")).toBe("grep exits 1 on 'w'\n");
    const s = await state();
    expect(s.artifacts[stored!.digest]!.names).toContain("log.txt");
    expect(debugPacketOf(s.debugPackets[id]!).experiments).toEqual([{ change: "VALUE=7", result: "digits passes", evidence: [stored!.digest] }]);
  });

  it("closes with decision and next (required), records the run's next pointer only when it has none", async () => {
    const path = pipelineFile("close", "CONTRACT");
    const bare = await runFile(path, { VALUE: "v" });
    const pointed = await runFile(path, { VALUE: "u" }, "look at the digits check");
    const a = await openDebugPacket(deps(), await state(), bare);
    const b = await openDebugPacket(deps(), await state(), pointed);
    const s = await state();
    await expectErrorAsync(() => closeDebugPacket(deps(), s, s.debugPackets[a]!, { decision: " ", next: "n" }), "ERR_USAGE");
    await expectErrorAsync(() => closeDebugPacket(deps(), s, s.debugPackets[a]!, { decision: "d", next: "" }), "ERR_USAGE");
    await expectErrorAsync(() => closeDebugPacket(deps(), s, s.debugPackets[a]!, { decision: "d", next: "n", minutes: -1 }), "ERR_USAGE");
    const opened = Date.parse(s.debugPackets[a]!.opened_at_utc);
    await closeDebugPacket(deps(new Date(opened + 12 * 60_000).toISOString()), s, s.debugPackets[a]!, {
      decision: "digits only",
      next: "validate VALUE upstream",
      guard: "the digits check",
    });
    await closeDebugPacket(deps(), s, s.debugPackets[b]!, { decision: "d", next: "n", minutes: 3 });
    const after = await state();
    expect(debugPacketOf(after.debugPackets[a]!)).toMatchObject({
      status: "closed",
      decision: "digits only",
      resolution_or_next: "validate VALUE upstream",
      regression_guard: "the digits check",
      time_spent_minutes: 12,
    });
    expect(after.runs[bare.id]!.next).toBe("validate VALUE upstream");
    expect(after.runs[pointed.id]!.next).toBe("look at the digits check");
    await expectErrorAsync(() => addHypothesis(deps(), after.debugPackets[a]!, "late"), "ERR_DEBUG_PACKET_CLOSED");
    await expectErrorAsync(() => closeDebugPacket(deps(), after, after.debugPackets[a]!, { decision: "d", next: "n" }), "ERR_DEBUG_PACKET_CLOSED");
    // A rebuild from the ledger reaches the same packets.
    expect((await new Projector(ws.ledger).rebuild()).debugPackets).toEqual(after.debugPackets);
  });

  it("flags failed CONTRACT runs without a packet, or whose packet has no minimal repro", async () => {
    const before = missingDebugPackets(await state()).map((m) => m.run_id);
    // A run from code has no pipeline file: its packet has no command to repro with.
    const fail = defineOperator({
      id: "always-fails",
      version: "1",
      modes: ["CONTRACT"],
      outputs: ["outputs/x.txt"],
      checks: [{ nonEmpty: "outputs/x.txt" }],
      timeout: "5s",
      run: () => undefined,
    });
    const coded = await runPipeline(definePipeline({ name: "coded", mode: "CONTRACT", tasks: { x: { operator: fail } } }), deps(), {
      project: "default",
      modes: ws.modes,
    });
    let s = await state();
    expect(missingDebugPackets(s).find((m) => m.run_id === coded)).toMatchObject({ debug_packet_id: null, reason: "no DebugPacket" });
    const id = await openDebugPacket(deps(), s, s.runs[coded]!);
    s = await state();
    expect(s.debugPackets[id]!.minimal_repro.commands).toEqual([]);
    expect(s.debugPackets[id]!.minimal_repro.actual).toContain("x: ERR_ADAPTER_INVOCATION: declared output outputs/x.txt was not written");
    expect(missingDebugPackets(s).find((m) => m.run_id === coded)).toMatchObject({
      debug_packet_id: id,
      reason: expect.stringContaining("has no minimal repro"),
    });
    // Runs of other modes are not CONTRACT work; the file-run packets above all had repros.
    expect(missingDebugPackets(s).map((m) => m.run_id)).toEqual([...before.filter((r) => r !== coded), coded]);
    expect(Object.values(s.runs).filter((r) => r.work_mode === "PIPELINE" && r.result === "FAIL").length).toBeGreaterThan(0);
  });

  it("describes check failures and quotes shell words", () => {
    expect(describeCheckFailure({ rowsChecked: 3, failingRows: 1, failures: [{ line: 2, reason: "expression is false" }] })).toBe(
      '1 of 3 rows fail; first: {"line":2,"reason":"expression is false"}',
    );
    expect(describeCheckFailure({ command: ["false"], exitCode: 1, signal: null, stderrTail: "a\nb\nc\nd\n", stdoutTail: "" })).toBe(
      "exit code 1; output: b | c | d",
    );
    expect(describeCheckFailure({ bytes: 0, reason: "empty" })).toBe("empty");
    expect(describeCheckFailure({ other: 1 })).toBe('{"other":1}');
    expect(shellQuote("a/b.c=d")).toBe("a/b.c=d");
    expect(shellQuote("it's here")).toBe(`'it'\\''s here'`);
    expect(shellQuote("")).toBe("''");
  });
});
