import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DebugPacketSchema, type DebugPacket } from "../../src/contracts/debug-packet.js";
import { ERROR_CANON } from "../../src/core/errors.js";
import { runledger } from "../../test/support/cli.js";

const pipeline = join(import.meta.dirname, "contract.yaml");
let dir: string;
let root: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "runledger-contract-block-"));
  root = join(dir, "ws");
  expect(runledger(["init", root], { cwd: dir }).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI with --json: stdout holds exactly one envelope. */
function cli(args: string[]) {
  const result = runledger(["-w", root, ...args, "--json"], { cwd: dir });
  const lines = result.stdout.trim().split("\n");
  expect(lines, result.stderr).toHaveLength(1);
  return { code: result.code, envelope: JSON.parse(lines[0]!) as Record<string, unknown> };
}

interface RunJson {
  id: string;
  as_of: string;
  result: string;
  next: string | null;
  counted: boolean;
  evidence: { item: string; met: boolean }[];
  stop_rules: { rule: string; subject: string | null }[];
  tasks: { name: string; outcome: string }[];
}

// The steps of one block share its runs and packet; vitest runs them in order.
let bad: RunJson;
let packet: DebugPacket;
let note: string;

describe("examples/work-blocks/contract.yaml (a CONTRACT block with a DebugPacket)", () => {
  it("fails on the quoted field and is flagged as a failed CONTRACT run without a minimal repro", () => {
    // The naive parser cuts "Cobol, Inc." in two: parse and guard fail their checks.
    const failed = cli(["run", pipeline]);
    expect(failed.code).toBe(1);
    bad = failed.envelope["run"] as RunJson;
    expect(bad.result).toBe("FAIL");
    expect(bad.tasks.find((t) => t.name === "parse")?.outcome).toBe("FAILED");
    expect(bad.evidence.map((e) => [e.item, e.met])).toEqual([
      ["minimal-repro", true],
      ["fix-verified", false],
      ["regression-guard", false],
    ]);

    // A failed CONTRACT run without a minimal repro is flagged, with a non-zero exit.
    const flagged = cli(["debug", "missing"]);
    expect(flagged.code).toBe(1);
    expect(flagged.envelope["missing"]).toEqual([expect.objectContaining({ run_id: bad.id, debug_packet_id: null, reason: "no DebugPacket" })]);
  });

  it("debug new fills symptom, context and minimal repro from the ledger and receipts", () => {
    const opened = cli(["debug", "new", bad.id.slice(0, 8)]);
    expect(opened.code).toBe(0);
    packet = DebugPacketSchema.parse(opened.envelope["debug_packet"]);
    expect(packet).toMatchObject({ run_id: bad.id, status: "open", hypotheses: [], experiments: [] });
    expect(packet.symptom).toContain("parse: check failed: rows:outputs/customers.jsonl");
    expect(packet.context).toMatchObject({ summary: "no passing run to compare with", compared_with: null });
    expect(packet.minimal_repro.commands[0]).toBe(`runledger run ${pipeline} --run-mode real --as-of ${bad.as_of}`);
    expect(packet.minimal_repro.expected).toContain("parse: check rows:outputs/customers.jsonl passes");
    expect(packet.minimal_repro.actual).toContain('"email":" Inc."');
    expect(packet.minimal_repro.actual).toContain("guard: check command:cmp outputs/actual.jsonl inputs/repro/expected.jsonl FAIL: exit code 1");
    // The failing task's own command, in its kept attempt directory, reproduces the bad output.
    const parseLine = packet.minimal_repro.commands.find((c) => c.includes("/parse.1 && env PARSER=naive"));
    expect(parseLine).toBeDefined();
    const rerun = spawnSync("sh", ["-c", parseLine!], { encoding: "utf8" });
    expect(rerun.status).toBe(0);
    const workdir = (packet.minimal_repro.inputs as { workdirs: Record<string, string> }).workdirs["parse"]!;
    expect(readFileSync(join(workdir, "outputs/customers.jsonl"), "utf8")).toContain('"stage":"grace@cobol.example"');
    expect(cli(["debug", "missing"]).code).toBe(0);
  });

  it("takes three hypotheses; a fourth is refused and fires the CONTRACT stop rule on the run", () => {
    for (const h of ["the naive parser splits inside quotes", "the header has a stray BOM", "the export changed its encoding"]) {
      expect(cli(["debug", "hypothesis", packet.debug_packet_id, h]).code).toBe(0);
    }
    const fourth = cli(["debug", "hypothesis", packet.debug_packet_id, "the disk is full"]);
    expect(fourth.code).toBe(2);
    expect(fourth.envelope["error"]).toMatchObject({ code: "ERR_HYPOTHESES_EXCEEDED" });
    expect((fourth.envelope["error"] as { message: string }).message).toContain(ERROR_CANON.ERR_HYPOTHESES_EXCEEDED.fragment);
    const afterFourth = cli(["show", bad.id]).envelope["run"] as RunJson;
    expect(afterFourth.stop_rules).toContainEqual(expect.objectContaining({ rule: "contract.hypotheses-exceeded", subject: packet.debug_packet_id }));
    expect(DebugPacketSchema.parse(cli(["debug", "show", packet.debug_packet_id]).envelope["debug_packet"]).hypotheses).toHaveLength(3);
  });

  it("records an experiment with its evidence stored as an artifact", () => {
    note = join(dir, "experiment.txt");
    writeFileSync(note, "parse-csv.sh fixed inputs/repro/repro.csv matches expected.jsonl\n");
    const experimented = cli([
      "debug",
      "experiment",
      packet.debug_packet_id,
      "--change",
      "PARSER=fixed on the repro",
      "--result",
      "the guard passes",
      "--evidence",
      note,
    ]);
    expect(experimented.code).toBe(0);
    const withExperiment = DebugPacketSchema.parse(experimented.envelope["debug_packet"]);
    const digest = withExperiment.experiments[0]!.evidence[0]!;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const copy = join(dir, "copy.txt");
    expect(cli(["artifacts", "get", digest, "-o", copy]).code).toBe(0);
    expect(readFileSync(copy, "utf8")).toBe(readFileSync(note, "utf8"));
  });

  it("passes with the fixed parser, then closes the packet with decision, next pointer and guard", () => {
    // The fixed parser passes: fix verified, regression guard in place.
    const passed = cli(["run", pipeline, "--param", "PARSER=fixed", "--next", "make PARSER=fixed the default"]);
    expect(passed.code).toBe(0);
    const good = passed.envelope["run"] as RunJson;
    expect(good).toMatchObject({ result: "PASS", counted: true });

    // Closing records the decision, next pointer and guard, and the failed run's next pointer.
    expect(bad.next).toBeNull();
    const closed = cli([
      "debug",
      "close",
      packet.debug_packet_id,
      "--decision",
      "quoted fields need the RFC 4180 parser",
      "--next",
      "ship PARSER=fixed as the default",
      "--guard",
      "the guard task compares the repro with expected.jsonl",
      "--minutes",
      "25",
    ]);
    expect(closed.code).toBe(0);
    expect(DebugPacketSchema.parse(closed.envelope["debug_packet"])).toMatchObject({
      status: "closed",
      decision: "quoted fields need the RFC 4180 parser",
      resolution_or_next: "ship PARSER=fixed as the default",
      time_spent_minutes: 25,
    });
    expect(cli(["debug", "missing"])).toMatchObject({ code: 0, envelope: { missing: [] } });
    expect((cli(["show", bad.id]).envelope["run"] as RunJson).next).toBe("ship PARSER=fixed as the default");
    expect(cli(["debug", "list", "--open"]).envelope["debug_packets"]).toEqual([]);
    const listed = cli(["debug", "list"]).envelope["debug_packets"] as { debug_packet_id: string; status: string }[];
    expect(listed).toEqual([expect.objectContaining({ debug_packet_id: packet.debug_packet_id, status: "closed" })]);

    // A closed packet is final.
    const late = cli(["debug", "experiment", packet.debug_packet_id, "--change", "x", "--result", "y", "--evidence", note]);
    expect(late.envelope["error"]).toMatchObject({ code: "ERR_DEBUG_PACKET_CLOSED" });
  });

  it("refuses a run that did not fail", () => {
    const passed = cli(["run", pipeline, "--param", "PARSER=fixed", "--next", "nothing to fix"]);
    const refused = cli(["debug", "new", (passed.envelope["run"] as RunJson).id]);
    expect(refused.code).toBe(2);
    expect(refused.envelope["error"]).toMatchObject({ code: "ERR_RUN_NOT_FAILED" });
    expect(cli(["debug", "show", "no-such-packet"]).envelope["error"]).toMatchObject({ code: "ERR_DEBUG_PACKET_NOT_FOUND" });
  });
});
