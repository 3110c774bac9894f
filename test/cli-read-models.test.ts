import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RunsOutputSchema } from "../src/contracts/run-output.js";
import type { NewEvent } from "../src/ledger/ledger-event.js";
import { Projector } from "../src/ledger/projections/projector.js";
import type { RunView } from "../src/ledger/projections/projection-state.js";
import { openWorkspace } from "../src/workspace/workspace.js";
import { runledger } from "./support/cli.js";

// The read commands read the read models stored beside the events; these hold that they answer
// as the projection of the whole ledger does, and still do once the models are gone (open rebuilds them).
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "runledger-cli-read-models-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function init(name: string): string {
  const root = join(dir, name);
  expect(runledger(["init", root], { cwd: dir }).code).toBe(0);
  return root;
}

/** Deletes every read model of the workspace's SQLite ledger, its version and seq too. */
function deleteReadModels(root: string): void {
  const db = new Database(join(root, ".runledger/ledger.db"));
  try {
    for (const table of ["rm_docs", "rm_runs", "rm_items", "rm_refs", "rm_meta"]) db.prepare(`DELETE FROM ${table}`).run();
  } finally {
    db.close();
  }
}

function storedModelRows(root: string): number {
  const db = new Database(join(root, ".runledger/ledger.db"), { readonly: true });
  try {
    return db.prepare<[], number>("SELECT count(*) FROM rm_docs").pluck(true).get() ?? 0;
  } finally {
    db.close();
  }
}

describe("read commands on a workspace whose read models were deleted", () => {
  it("answer as before: open rebuilds the models first", () => {
    const root = init("rebuilt");
    const cli = (args: string[]) => runledger(args, { cwd: root });
    const task = (run: string) => `tasks:\n  a:\n    run: ${run}\n    outputs: [outputs/a]\n    checks: [{ nonEmpty: outputs/a }]\n`;
    writeFileSync(join(root, "good.yaml"), `pipeline: good\n${task("echo x > outputs/a")}`);
    writeFileSync(join(root, "bad.yaml"), `pipeline: bad\n${task("exit 3")}`);
    const runIds = ["good.yaml", "bad.yaml", "good.yaml"].map(
      (file) => (JSON.parse(cli(["run", file, "--no-cache", "--json"]).stdout) as { run: { id: string } }).run.id,
    );
    const [good, bad, again] = runIds as [string, string, string];
    expect(cli(["debug", "new", bad, "--symptom", "exit 3"]).code).toBe(0);
    expect(cli(["admin", "pause", "--pipeline", "bad", "--reason", "flaky"]).code).toBe(0);
    const shown = JSON.parse(cli(["show", again, "--json"]).stdout) as { run: { tasks: { attempts: { id: string }[] }[] } };
    const attempt = shown.run.tasks[0]!.attempts[0]!.id;
    const commands = [
      ["runs"],
      ["runs", "--pipeline", "good", "--limit", "1"],
      ["show", good.slice(0, 10)],
      ["show", bad],
      ["explain", again, "a"],
      ["receipt", attempt],
      ["audit"],
      ["audit", "--action", "pause"],
      ["gate", "status"],
      ["watermark", "list"],
      ["operator", "list"],
      ["debug", "list"],
      ["debug", "missing"],
    ];
    const answers = (json: boolean) => commands.map((args) => cli(json ? [...args, "--json"] : args)).map((r) => ({ code: r.code, stdout: r.stdout }));
    const before = [answers(false), answers(true)];
    expect(before[0]!.filter((a) => a.code !== 0)).toEqual([]);
    deleteReadModels(root);
    expect(storedModelRows(root)).toBe(0);
    // execution_id differs by invocation; the rest is byte for byte.
    const scrub = (rows: { code: number; stdout: string }[]) => rows.map((r) => ({ ...r, stdout: r.stdout.replace(/"execution_id":"[^"]*"/g, "") }));
    expect(scrub(answers(false))).toEqual(scrub(before[0]!));
    expect(storedModelRows(root)).toBeGreaterThan(0);
    deleteReadModels(root);
    expect(scrub(answers(true))).toEqual(scrub(before[1]!));
  });

  it("refuse an unknown or ambiguous run prefix as before", () => {
    const root = init("refusals");
    const cli = (args: string[]) => runledger(args, { cwd: root });
    writeFileSync(
      join(root, "p.yaml"),
      "pipeline: p\ntasks:\n  a:\n    run: echo x > outputs/a\n    outputs: [outputs/a]\n    checks: [{ nonEmpty: outputs/a }]\n",
    );
    for (let i = 0; i < 2; i++) expect(cli(["run", "p.yaml", "--no-cache"]).code).toBe(0);
    deleteReadModels(root);
    const unknown = cli(["show", "zzzz", "--json"]);
    expect(unknown.code).not.toBe(0);
    expect(JSON.parse(unknown.stdout)).toMatchObject({ error: { code: "ERR_RUN_NOT_FOUND" } });
    const ambiguous = JSON.parse(cli(["explain", "", "a", "--json"]).stdout) as { error: { code: string; message: string } };
    expect(ambiguous.error).toMatchObject({ code: "ERR_RUN_NOT_FOUND" });
    expect(ambiguous.error.message).toContain("is ambiguous (2 runs)");
  });
});

/** The page the listing gave before it read the read models: a filter over every run of the projection. */
function expectedPage(
  all: readonly RunView[],
  match: (run: RunView) => boolean,
  limit: number,
  before?: string,
): { ids: string[]; next_before: string | null } {
  const end = before === undefined ? all.length : all.findIndex((r) => r.id === before);
  const page: RunView[] = [];
  let index = end - 1;
  for (; index >= 0 && page.length < limit; index--) if (match(all[index]!)) page.push(all[index]!);
  while (index >= 0 && !match(all[index]!)) index--;
  const oldest = page.at(-1);
  return { ids: page.reverse().map((r) => r.id), next_before: index >= 0 && oldest ? oldest.id : null };
}

describe("runs pages over 120 runs", () => {
  let root: string;
  let all: RunView[];
  beforeAll(async () => {
    root = init("paging");
    const workspace = await openWorkspace(root);
    try {
      for (let i = 0; i < 120; i++) await workspace.ledger.append(runEvents(i, workspace.config.project));
      all = Object.values((await new Projector(workspace.ledger).catchUp()).runs);
    } finally {
      await workspace.close();
    }
  });

  const filters: [string[], (run: RunView) => boolean][] = [
    [[], () => true],
    [["--pipeline", "p1"], (r) => r.pipeline === "p1"],
    [["--status", "failed"], (r) => r.status === "failed"],
    [["--mode", "CONTRACT"], (r) => r.work_mode === "CONTRACT"],
    [["--missing-next"], (r) => r.finished_at_utc !== null && r.next === null],
    [["--not-counted", "--pipeline", "p2"], (r) => r.finished_at_utc !== null && !r.counted && r.pipeline === "p2"],
  ];

  it.each(filters)("walks back every page of %j as the projection's listing did", (flags, match) => {
    const limit = flags.length === 0 ? 50 : 9;
    let before: string | undefined;
    let pages = 0;
    do {
      const args = ["runs", ...flags, "--limit", String(limit), ...(before === undefined ? [] : ["--before", before.slice(0, 20)]), "--json"];
      const result = runledger(args, { cwd: root });
      expect(result.code, result.stdout + result.stderr).toBe(0);
      const page = RunsOutputSchema.parse(JSON.parse(result.stdout));
      const expected = expectedPage(all, match, limit, before);
      expect({ ids: page.runs.map((r) => r.id), next_before: page.next_before }).toEqual(expected);
      before = page.next_before ?? undefined;
      pages++;
    } while (before !== undefined);
    expect(pages).toBeGreaterThan(1);
  });
});

/** One run's events: pipelines p0..p2, every fourth in CONTRACT mode, most finished, some failed, some without next. */
function runEvents(i: number, project: string): NewEvent[] {
  const actor = { kind: "human" as const, id: "tester" };
  const run_id = `run-${String(i).padStart(4, "0")}-${(i * 7919).toString(36)}`;
  const requested: NewEvent = {
    type: "run.requested",
    project,
    actor,
    data: {
      run_id,
      pipeline: `p${i % 3}`,
      as_of: "2026-01-02T00:00:00.000Z",
      work_mode: i % 4 === 0 ? "CONTRACT" : "PIPELINE",
      run_mode: "real",
      enforcement: "enforced",
      params: {},
      tasks: ["a"],
    },
  };
  const events: NewEvent[] = [requested, { type: "run.started", project, actor, data: { run_id } }];
  if (i % 5 === 0) return events;
  const failed = i % 2 === 0;
  const finished = { run_id, status: failed ? "failed" : "succeeded", result: failed ? "FAIL" : "PASS", next: i % 3 === 0 ? null : "look again" };
  return [...events, { type: "run.finished", project, actor, data: finished } as NewEvent];
}
