import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, expect, it } from "vitest";
import { runCli } from "../src/cli/program.js";

const dir = mkdtempSync(join(tmpdir(), "runledger-progress-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI in this process with stdout posing as a terminal, or not. */
async function cli(args: string[], tty: boolean) {
  const stdout = Object.assign(new PassThrough(), { isTTY: tty });
  const stderr = new PassThrough();
  const chunks: string[] = [];
  stdout.on("data", (c: Buffer) => chunks.push(c.toString()));
  stderr.resume();
  const code = await runCli(args, { stdout, stderr, env: { ...process.env, RUNLEDGER_ACTOR: "human:tester" }, cwd: dir });
  return { code, out: chunks.join("") };
}

it("run shows live progress per task on a terminal, and none when piped or with --json", async () => {
  expect((await cli(["init", "ws"], false)).code).toBe(0);
  const root = join(dir, "ws");
  const live = await cli(["-w", root, "run", join(root, "pipelines/hello.yaml")], true);
  expect(live.code).toBe(0);
  expect(live.out).toMatch(/\.\. numbers\n[\s\S]*ok numbers passed PASS\n[\s\S]*ok total passed PASS\n/);
  const again = await cli(["-w", root, "run", join(root, "pipelines/hello.yaml")], true);
  expect(again.out).toContain("== numbers reused PASS");
  const piped = await cli(["-w", root, "run", join(root, "pipelines/hello.yaml"), "--no-cache"], false);
  expect(piped.out).not.toContain(".. numbers");
  const json = await cli(["-w", root, "run", join(root, "pipelines/hello.yaml"), "--json"], true);
  expect(json.out.trim().split("\n")).toHaveLength(1);
});
