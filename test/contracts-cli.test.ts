import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RunSchema, RunSummarySchema } from "../src/contracts/run.js";
import { runledger } from "./support/cli.js";

/**
 * What `run`, `show` and `runs` print with --json validates against the published contracts, on
 * real runs that exercise every part of them: a gate, reused tasks, a manual task waiting, effects
 * in shadow, a violation, stop rules.
 */
const EXAMPLES = resolve(import.meta.dirname, "../examples");
let root: string;
const cli = (args: string[]) => runledger(args, { cwd: root, env: { CI: "" } });
const runOf = (stdout: string): unknown => (JSON.parse(stdout) as { run: unknown }).run;

beforeAll(() => {
  root = join(mkdtempSync(join(tmpdir(), "runledger-contracts-")), "ws");
  expect(runledger(["init", root], { cwd: tmpdir() }).code).toBe(0);
  writeFileSync(
    join(root, "violating.yaml"),
    `pipeline: violating
enforcement: shadow
tasks:
  calls:
    run: 'runledger effect http.post --payload "{}" || true; echo x > outputs/x; echo y > outputs/undeclared'
    effects: [slack.notify]
    outputs: [outputs/x]
    checks: [{ nonEmpty: outputs/x }]
`,
  );
});
afterAll(() => rmSync(join(root, ".."), { recursive: true, force: true }));

describe("--json output is the published contract", () => {
  it("run and show of the main example (a gate), its cached re-run, a waiting manual task and a violation all parse as Run", () => {
    const outputs = [
      cli(["run", join(EXAMPLES, "market-batch/pipeline.yaml"), "--json"]),
      cli(["run", join(EXAMPLES, "market-batch/pipeline.yaml"), "--json"]),
      cli(["run", join(EXAMPLES, "market-batch/pipeline.yaml"), "--param", "BARS_SET=broken", "--json"]),
      cli(["run", join(EXAMPLES, "work-blocks/contact.yaml"), "--title", "lead outreach", "--json"]),
      cli(["run", "violating.yaml", "--json"]),
    ];
    const runs = outputs.map((output) => runOf(output.stdout) as { id: string; status: string });
    expect(runs.map((run) => run.status)).toEqual(["succeeded", "succeeded", "degraded", "waiting", "halted"]);
    for (const run of runs) {
      const shown = runOf(cli(["show", run.id, "--json"]).stdout);
      for (const view of [run, shown]) {
        const parsed = RunSchema.safeParse(view);
        expect(parsed.error?.issues ?? [], run.status).toEqual([]);
      }
    }
  });

  it("runs parses as a list of RunSummary", () => {
    const listed = JSON.parse(cli(["runs", "--json"]).stdout) as { runs: unknown[] };
    expect(listed.runs.length).toBeGreaterThanOrEqual(5);
    for (const summary of listed.runs) expect(RunSummarySchema.safeParse(summary).error?.issues ?? []).toEqual([]);
  });
});
