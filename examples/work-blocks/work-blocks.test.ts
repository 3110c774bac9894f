import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Projector } from "../../src/ledger/projections/projector.js";
import { openWorkspace } from "../../src/workspace/workspace.js";
import { runledger } from "../../test/support/cli.js";

const HERE = import.meta.dirname;
const EVIDENCE = join(HERE, "evidence");

interface RunJson {
  id: string;
  status: string;
  result: string | null;
  counted: boolean;
  next: string | null;
  evidence: { item: string; met: boolean; required: boolean }[];
  stop_rules: { rule: string; subject: string | null }[];
  tasks: {
    name: string;
    outcome: string;
    checks: { name: string; result: string }[];
    attempts: { id: string; status: string; completed_by?: { kind: string; id: string }; late?: boolean }[];
    waiting: { steps: string[]; evidence: string[]; complete: string; inputs_dir: string; deadline_utc: string } | null;
  }[];
}

let dir: string;
let ws: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "runledger-work-blocks-"));
  ws = join(dir, "ws");
  expect(runledger(["init", ws], { cwd: dir }).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI in the workspace with --json and returns the exit code and the parsed envelope. */
function cli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): { code: number; body: { status: string; run?: RunJson; error?: { code: string; issues?: { path: string[] }[] } } } {
  const r = runledger(["-w", ws, "--json", ...args], { cwd: dir, env });
  return { code: r.code, body: JSON.parse(r.stdout) as never };
}

const task = (run: RunJson, name: string) => run.tasks.find((t) => t.name === name)!;

describe("work blocks", () => {
  it("TOOLSMITH: the wordcount tool's block runs with its evidence met, a next pointer, and counts", () => {
    const { code, body } = cli(["run", join(HERE, "toolsmith.yaml"), "--title", "wordcount cli tool", "--next", "publish wordcount in the tools index"]);
    expect(code).toBe(0);
    expect(body.run).toMatchObject({ status: "succeeded", result: "PASS", counted: true, next: "publish wordcount in the tools index" });
    expect(body.run!.evidence.filter((e) => e.required).every((e) => e.met)).toBe(true);
  });

  it("PIPELINE: the leads block runs with its evidence met, a next pointer, and counts", () => {
    const { code, body } = cli(["run", join(HERE, "leads.yaml"), "--title", "normalize leads csv", "--next", "load leads.jsonl into the CRM"]);
    expect(code).toBe(0);
    expect(body.run).toMatchObject({ status: "succeeded", result: "PASS", counted: true });
    expect(body.run!.evidence.map((e) => [e.item, e.met])).toEqual([
      ["artifact", true],
      ["content-check", true],
      ["manifest", true],
    ]);
  });

  it("CONTACT: waits for the person, refuses bad evidence losing nothing, then checks the evidence and closes counted with the completer as actor", async () => {
    const started = cli(["run", join(HERE, "contact.yaml"), "--title", "lead outreach"]);
    expect(started.code).toBe(0);
    const waiting = started.body.run!;
    expect([waiting.status, waiting.result, waiting.counted]).toEqual(["waiting", null, false]);
    expect(task(waiting, "contacts").outcome).toBe("SUCCESS");
    const outreach = task(waiting, "outreach");
    expect(outreach.outcome).toBe("WAITING");
    expect(outreach.waiting!.evidence).toEqual(["outputs/touches.csv", "outputs/follow-up.txt"]);
    expect(outreach.waiting!.complete).toBe(`runledger complete ${waiting.id} outreach --evidence touches.csv follow-up.txt --result PASS`);
    // The person reads the prepared contact list where the run says.
    expect(readFileSync(join(outreach.waiting!.inputs_dir, "contacts", "contacts.csv"), "utf8")).toBe(
      "name,company,email\nAda Lovelace,Analytical Engines,ada@example.org\nAlan Turing,Bletchley Labs,alan@example.org\n",
    );
    const shown = runledger(["-w", ws, "show", waiting.id], { cwd: dir });
    expect(shown.stdout).toContain("waiting for a person: outreach");
    expect(shown.stdout).toContain(outreach.waiting!.steps[1]);
    expect(shown.stdout).toContain(outreach.waiting!.complete);

    // Evidence under the wrong name, and one declared output missing: refused, nothing recorded.
    writeFileSync(join(dir, "touches.txt"), "name,email,channel,sent_at\n");
    const bad = cli(["complete", waiting.id, "outreach", "--evidence", join(dir, "touches.txt"), join(EVIDENCE, "follow-up.txt"), "--result", "PASS"]);
    expect(bad.code).toBe(2);
    expect(bad.body.error!.code).toBe("ERR_EVIDENCE_MISMATCH");
    expect(bad.body.error!.issues!.map((i) => i.path.join("."))).toEqual(["evidence.0", "outputs.0"]);
    const after = cli(["show", waiting.id]).body.run!;
    expect(after.status).toBe("waiting");
    expect(task(after, "outreach").attempts).toEqual(outreach.attempts);
    // resume leaves the waiting attempt waiting: not abandoned, not re-run.
    const resumed = cli(["resume", waiting.id]);
    expect(resumed.code).toBe(0);
    expect(resumed.body.run!.status).toBe("waiting");
    expect(task(resumed.body.run!, "outreach").attempts).toEqual(outreach.attempts);
    expect(task(resumed.body.run!, "contacts").attempts).toEqual(task(waiting, "contacts").attempts);
    // Completing a task that is not waiting is refused too.
    expect(cli(["complete", waiting.id, "contacts", "--evidence", join(EVIDENCE, "touches.csv"), "--result", "PASS"]).body.error!.code).toBe("ERR_NOT_WAITING");

    const done = cli(
      [
        "complete",
        waiting.id,
        "outreach",
        "--evidence",
        join(EVIDENCE, "touches.csv"),
        join(EVIDENCE, "follow-up.txt"),
        "--result",
        "PASS",
        "--note",
        "two sent",
        "--next",
        "follow up on 2026-12-07",
      ],
      { RUNLEDGER_ACTOR: "human:alice" },
    );
    expect(done.code).toBe(0);
    const closed = done.body.run!;
    expect(closed).toMatchObject({ status: "succeeded", result: "PASS", counted: true, next: "follow up on 2026-12-07" });
    expect(closed.evidence.filter((e) => e.required).map((e) => [e.item, e.met])).toEqual([
      ["touches", true],
      ["follow-up", true],
    ]);
    expect(task(closed, "outreach").checks.map((c) => c.result)).toEqual(["PASS", "PASS", "PASS", "PASS"]);
    expect(task(closed, "outreach").attempts[0]).toMatchObject({ status: "succeeded", completed_by: { kind: "human", id: "alice" }, late: false });
    expect(closed.stop_rules).toEqual([]);

    const workspace = await openWorkspace(ws);
    try {
      const attemptId = outreach.attempts[0]!.id;
      const actors: Record<string, string> = {};
      for await (const event of workspace.ledger.read()) {
        if ((event.data as { attempt_id?: string }).attempt_id === attemptId) actors[event.type] ??= `${event.actor.kind}:${event.actor.id}`;
      }
      expect(actors).toMatchObject({ "attempt.started": "human:tester", "attempt.completed": "human:alice", "attempt.succeeded": "human:alice" });
      expect((await new Projector(workspace.ledger).catchUp()).runs[waiting.id]?.counted).toBe(true);
    } finally {
      await workspace.close();
    }
    expect(runledger(["-w", ws, "verify"], { cwd: dir }).code).toBe(0);
  });

  it("CONTACT: evidence that fails a check fails the block, whatever --result says", () => {
    const started = cli(["run", join(HERE, "contact.yaml"), "--title", "lead outreach"]).body.run!;
    const folder = mkdtempSync(join(dir, "stranger-"));
    writeFileSync(join(folder, "touches.csv"), "name,email,channel,sent_at\nMallory,mallory@example.org,email,2026-11-30\n");
    const done = cli([
      "complete",
      started.id,
      "outreach",
      "--evidence",
      join(folder, "touches.csv"),
      join(EVIDENCE, "follow-up.txt"),
      "--result",
      "PASS",
      "--next",
      "clean the contact list",
    ]);
    expect(done.code).toBe(1);
    expect(done.body.run).toMatchObject({ status: "failed", result: "FAIL", counted: false });
    expect(task(done.body.run!, "outreach").checks.filter((c) => c.result === "FAIL")).toHaveLength(1);
  });

  it("CONTACT: a completion after the timebox fires timebox-exceeded", async () => {
    const copy = join(dir, "late");
    cpSync(HERE, copy, { recursive: true, filter: (src) => !src.endsWith(".test.ts") });
    const yaml = join(copy, "contact.yaml");
    writeFileSync(yaml, readFileSync(yaml, "utf8").replace("timeout: 45m", "timeout: 1s"));
    const started = cli(["run", yaml, "--title", "lead outreach"]).body.run!;
    const deadline = Date.parse(task(started, "outreach").waiting!.deadline_utc);
    // The timebox runs on the clock from when the task started waiting; let it pass.
    while (Date.now() <= deadline + 50) await new Promise((resolve) => setTimeout(resolve, 100));
    const done = cli([
      "complete",
      started.id,
      "outreach",
      "--evidence",
      join(EVIDENCE, "touches.csv"),
      join(EVIDENCE, "follow-up.txt"),
      "--result",
      "PASS",
      "--next",
      "block 30 minutes for outreach tomorrow",
    ]);
    expect(done.code).toBe(0);
    expect(done.body.run!.stop_rules).toEqual([expect.objectContaining({ rule: "timebox-exceeded", subject: "outreach" })]);
    expect(task(done.body.run!, "outreach").attempts[0]?.late).toBe(true);
  });
});
