import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RunsOutputSchema } from "../src/contracts/run-output.js";
import { runledger } from "./support/cli.js";

/** `runs` lists a page: the newest that match, newest last, with the run to list before for older ones. */
let root: string;
const ids: string[] = [];
const cli = (args: string[]) => runledger(args, { cwd: root });
const page = (args: string[]) => {
  const result = cli(["runs", ...args, "--json"]);
  expect(result.code, result.stdout + result.stderr).toBe(0);
  return RunsOutputSchema.parse(JSON.parse(result.stdout));
};

beforeAll(() => {
  root = join(mkdtempSync(join(tmpdir(), "runledger-runs-")), "ws");
  expect(runledger(["init", root], { cwd: tmpdir() }).code).toBe(0);
  const task = (run: string) => `tasks:\n  a:\n    run: ${run}\n    outputs: [outputs/a]\n    checks: [{ nonEmpty: outputs/a }]\n`;
  writeFileSync(join(root, "good.yaml"), `pipeline: good\n${task("echo x > outputs/a")}`);
  writeFileSync(join(root, "bad.yaml"), `pipeline: bad\n${task("exit 3")}`);
  for (const file of ["good.yaml", "bad.yaml", "good.yaml", "good.yaml", "bad.yaml", "good.yaml"]) {
    const run = cli(["run", file, "--no-cache", "--json"]);
    ids.push((JSON.parse(run.stdout) as { run: { id: string } }).run.id);
  }
});
afterAll(() => rmSync(join(root, ".."), { recursive: true, force: true }));

describe("runs pages", () => {
  it("lists every run when they are fewer than the limit, with nothing older", () => {
    expect(page([])).toMatchObject({ runs: ids.map((id) => ({ id })), next_before: null });
  });

  it("walks back page by page with --limit and --before, newest last on each page", () => {
    const newest = page(["--limit", "4"]);
    expect(newest.runs.map((r) => r.id)).toEqual(ids.slice(2));
    expect(newest.next_before).toBe(ids[2]);
    const older = page(["--limit", "4", "--before", newest.next_before!.slice(0, 12)]);
    expect(older).toMatchObject({ runs: ids.slice(0, 2).map((id) => ({ id })), next_before: null });
  });

  it("filters by pipeline, status, work mode and time, and pages within the filter", () => {
    expect(page(["--pipeline", "bad"]).runs.map((r) => r.id)).toEqual([ids[1], ids[4]]);
    expect(page(["--status", "succeeded", "--limit", "2"])).toMatchObject({ runs: [{ id: ids[3] }, { id: ids[5] }], next_before: ids[3] });
    expect(page(["--mode", "PIPELINE"]).runs).toHaveLength(6);
    expect(page(["--mode", "CONTRACT"]).runs).toEqual([]);
    const all = page([]).runs;
    const since = all[3]!.requested_at_utc;
    expect(page(["--since", since]).runs.map((r) => r.id)).toEqual(ids.slice(3));
    expect(page(["--until", since]).runs.map((r) => r.id)).toEqual(ids.slice(0, 3));
  });

  it("says in human output where older runs are", () => {
    const text = cli(["runs", "--limit", "1"]).stdout;
    expect(text).toContain(`older runs: runledger runs --before ${ids[5]}`);
    expect(text).toContain(ids[5]);
    expect(text).not.toContain(ids[4]!);
  });

  it("refuses a bad limit, status or time with ERR_USAGE, and an unknown --before run with ERR_RUN_NOT_FOUND", () => {
    for (const args of [
      ["--limit", "0"],
      ["--limit", "-1"],
      ["--limit", "x"],
      ["--status", "done"],
      ["--since", "yesterday"],
    ]) {
      const result = cli(["runs", ...args, "--json"]);
      expect(result.code, args.join(" ")).toBe(2);
      expect(JSON.parse(result.stdout)).toMatchObject({ status: "error", error: { code: "ERR_USAGE" } });
    }
    const unknown = cli(["runs", "--before", "no-such-run", "--json"]);
    expect(JSON.parse(unknown.stdout)).toMatchObject({ error: { code: "ERR_RUN_NOT_FOUND" } });
  });
});
