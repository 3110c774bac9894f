import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runledger } from "../../test/support/cli.js";

const HERE = resolve(import.meta.dirname);
const dir = mkdtempSync(join(tmpdir(), "runledger-truth-epoch-"));
const root = join(dir, "ws");
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(() => {
  expect(runledger(["init", root], { cwd: dir }).code).toBe(0);
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- envelopes are checked field by field below
type Json = Record<string, any>;
function cli(args: string[], actor = "human:ana"): { code: number; json: Json; stderr: string } {
  const result = runledger(["-w", root, "--actor", actor, "--json", ...args], { cwd: dir });
  return { code: result.code, json: JSON.parse(result.stdout.trim().split("\n").at(-1) as string) as Json, stderr: result.stderr };
}
const ingest = (session: string) => cli(["run", join(HERE, "ingest.yaml"), "--param", `SESSION=${session}`, "--next", "run the intelligence pipeline"]);
const intelligence = (te: string, proxySet: string, session = "2024-03-26") =>
  cli([
    "run",
    join(HERE, "intelligence.yaml"),
    "--param",
    `TARGET_TE=${te}`,
    "--param",
    `PROXY_SET=${proxySet}`,
    "--param",
    `SESSION=${session}`,
    "--next",
    "review the epoch",
  ]);
const mark = (name: string) => cli(["watermark", "show", name]).json.watermark as Json;
const gateOf = (run: Json, gate: string) => (run.gates as Json[]).find((g) => g.gate === gate) as Json;

describe("truth epoch (seed 001 §4): gates advance CTT and TE; nothing else moves time", () => {
  let waitingTe: string;

  it("the ingestion gate passes on a clean session and advances us.ctt by itself", () => {
    const run = ingest("2024-03-26");
    expect(run.code).toBe(0);
    expect(run.json.run.status).toBe("succeeded");
    expect(gateOf(run.json.run, "ingestion-gate")).toMatchObject({ status: "passed", advances: { watermark: "us.ctt", value: "2024-03-26" } });
    expect(mark("us.ctt")).toMatchObject({ value: "2024-03-26", valid: true, moved_by: { kind: "gate", gate: "ingestion-gate", run_id: run.json.run.id } });
  });

  it("the intelligence gate waits for a person; what depends on it does not advance until approved", () => {
    const run = intelligence("2024-03-26", "v1");
    expect(run.code).toBe(0);
    expect(run.json.run.status).toBe("waiting");
    expect(gateOf(run.json.run, "intelligence-gate")).toMatchObject({
      status: "awaiting_approval",
      advances: { watermark: "us.te", value: "2024-03-26", definition: { name: "proxy_set", version: "v1" } },
    });
    expect(cli(["watermark", "show", "us.te"]).json.error.code).toBe("ERR_WATERMARK_NOT_FOUND");
    const publish = (run.json.run.tasks as Json[]).find((t) => t.name === "publish") as Json;
    expect(publish).toMatchObject({ outcome: "PENDING", attempts: [] });
    waitingTe = run.json.run.id as string;
  });

  it("approval needs a reason and the approver role's decision; it records the actor and advances us.te bound to the proxy set", () => {
    expect(cli(["gate", "approve", "intelligence-gate"]).json.error.code).toBe("ERR_REASON_REQUIRED");
    const approved = cli(["gate", "approve", "intelligence-gate", "--reason", "signals reviewed against the desk's notes"], "human:bo");
    expect(approved.code).toBe(0);
    expect(approved.json.run).toMatchObject({ id: waitingTe, status: "succeeded", result: "PASS", counted: true });
    expect(gateOf(approved.json.run, "intelligence-gate")).toMatchObject({
      status: "approved",
      decided_by: { kind: "human", id: "bo" },
      reason: "signals reviewed against the desk's notes",
    });
    expect(mark("us.te")).toMatchObject({ value: "2024-03-26", definition: { name: "proxy_set", version: "v1" }, valid: true });
    // What depends on the gate ran only now: the epoch's record names the proxy-set version (seed 001 §4.5).
    const publish = (approved.json.run.tasks as Json[]).find((t) => t.name === "publish") as Json;
    expect(publish.outcome).toBe("SUCCESS");
    const receipt = cli(["receipt", publish.attempts[0].id]).json;
    const record = (receipt.receipt.outputs_index as Json[]).find((o) => o.path === "outputs/truth_epoch.json") as Json;
    const epoch = runledger(["-w", root, "artifacts", "get", record.digest], { cwd: dir }).stdout;
    expect(JSON.parse(epoch)).toEqual({ proxy_set_version: "v1", truth_epoch: "2024-03-26" });
    const audit = cli(["audit", "--action", "gate_approve"]).json.admin_events as Json[];
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor: { id: "bo" },
      targets: [
        { kind: "gate", id: "intelligence-gate" },
        { kind: "run", id: waitingTe },
      ],
      result: "applied",
    });
    expect(cli(["gate", "approve", "intelligence-gate", "--run", waitingTe, "--reason", "again"]).json.error.code).toBe("ERR_GATE_NOT_APPROVABLE");
  });

  it("a drift beyond the circuit breaker demands manual review before CTT moves", () => {
    const run = ingest("2024-03-28-spike");
    expect(run.json.run.status).toBe("waiting");
    const gate = gateOf(run.json.run, "ingestion-gate");
    expect(gate).toMatchObject({ status: "awaiting_approval", result: "WARN", advances: { value: "2024-03-28" } });
    expect(mark("us.ctt").value).toBe("2024-03-26");
    const reviewed = cli(["gate", "approve", "ingestion-gate", "--run", run.json.run.id, "--reason", "AAPL +31% confirmed against the exchange's bulletin"]);
    expect(reviewed.json.run.status).toBe("succeeded");
    expect(mark("us.ctt").value).toBe("2024-03-28");
  });

  it("a gate whose checks failed cannot be approved: TE may not pass CTT (data completeness)", () => {
    const run = intelligence("2024-03-29", "v1");
    expect(run.code).toBe(1);
    const gate = gateOf(run.json.run, "intelligence-gate");
    expect(gate.status).toBe("failed");
    expect(gate.checks).toContainEqual({ name: "requires:us.ctt", result: "FAIL" });
    expect(cli(["gate", "approve", "intelligence-gate", "--run", run.json.run.id, "--reason", "ship it"]).json.error).toMatchObject({
      code: "ERR_GATE_NOT_APPROVABLE",
    });
    expect(mark("us.te").value).toBe("2024-03-26");
  });

  it("a rejected gate moves nothing and skips what depends on it; the rejection is audited", () => {
    const run = intelligence("2024-03-27", "v1");
    expect(run.json.run.status).toBe("waiting");
    const rejected = cli(["gate", "reject", "intelligence-gate", "--run", run.json.run.id, "--reason", "signals disagree with the desk"], "human:bo");
    expect(rejected.code).toBe(1);
    expect(rejected.json.run).toMatchObject({ status: "degraded", result: "FAIL" });
    expect(gateOf(rejected.json.run, "intelligence-gate")).toMatchObject({
      status: "rejected",
      decided_by: { id: "bo" },
      reason: "signals disagree with the desk",
    });
    expect((rejected.json.run.tasks as Json[]).find((t) => t.name === "publish")).toMatchObject({ outcome: "SKIPPED", attempts: [] });
    expect(mark("us.te").value).toBe("2024-03-26");
    expect((cli(["audit", "--action", "gate_reject"]).json.admin_events as Json[]).at(-1)).toMatchObject({
      actor: { id: "bo" },
      after: { status: "rejected" },
    });
  });

  it("a new proxy-set version invalidates the epoch made under the old one until the gate passes again", () => {
    const run = intelligence("2024-03-28", "v2", "2024-03-28-spike");
    expect(run.json.run.status).toBe("waiting");
    expect(mark("us.te")).toMatchObject({ value: "2024-03-26", valid: false, invalidated: { by_version: "v2", reason: "proxy_set changed from v1 to v2" } });
    const monitors = cli(["monitor", "run"]).json.suggestions as Json[];
    expect(monitors.find((s) => s.monitor === "watermark-validity")?.message).toContain("us.te = 2024-03-26 is invalid for forward use");
    cli(["gate", "approve", "intelligence-gate", "--run", run.json.run.id, "--reason", "v2 signals reviewed"]);
    expect(mark("us.te")).toMatchObject({ value: "2024-03-28", definition: { version: "v2" }, valid: true });
  });

  it("an emergency rollback needs a justification, --confirm and an actor, and is audited", () => {
    expect(cli(["watermark", "override", "us.te", "--to", "2024-03-26", "--justification", "bad epoch"]).json.error.code).toBe("ERR_CONFIRM_REQUIRED");
    const rolled = cli(
      ["watermark", "override", "us.te", "--to", "2024-03-26", "--justification", "the 03-28 epoch used a mispriced AAPL bar", "--confirm"],
      "human:cy",
    );
    expect(rolled.code).toBe(0);
    expect(mark("us.te")).toMatchObject({
      value: "2024-03-26",
      moved_by: { kind: "override", justification: "the 03-28 epoch used a mispriced AAPL bar" },
      updated_by: "human:cy",
    });
    const audit = cli(["audit", "--action", "watermark_override"]).json.admin_events as Json[];
    expect(audit.at(-1)).toMatchObject({ actor: { id: "cy" }, before: { value: "2024-03-28" }, after: { value: "2024-03-26" } });
    expect(cli(["verify"]).code).toBe(0);
  });
});
