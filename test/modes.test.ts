import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../src/cli/program.js";
import { ERROR_CANON } from "../src/core/errors.js";
import { Projector } from "../src/ledger/projections/projector.js";
import { classifyTitle } from "../src/modes/classify-title.js";
import { modeRegistryWith } from "../src/modes/mode-registry.js";
import { selectMode } from "../src/modes/select-mode.js";
import { openWorkspace } from "../src/workspace/workspace.js";
import { expectError } from "./support/expect-error.js";
import { runledger } from "./support/cli.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "runledger-modes-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- envelopes are checked field by field below
const json = (stdout: string) => JSON.parse(stdout.trim().split("\n").at(-1) as string) as Record<string, any>;

function workspace(name: string): string {
  const root = join(dir, name);
  expect(runledger(["init", root], { cwd: dir }).code).toBe(0);
  return root;
}

function pipeline(root: string, name: string, yaml: string): string {
  const file = join(root, "pipelines", `${name}.yaml`);
  writeFileSync(file, yaml);
  return file;
}

const registry = modeRegistryWith();

describe("work modes", () => {
  it("classifies titles by seed 000's keyword table: whole words, phrases, most matches, ties by table order", () => {
    expect(classifyTitle("Deploy the bot to Vercel", registry)).toMatchObject({ mode: "SERVICE", tie: false });
    expect(classifyTitle("fix the postgres integration", registry).mode).toBe("CONTRACT");
    expect(classifyTitle("Publish docs on GitHub Pages", registry).mode).toBe("SERVICE");
    expect(classifyTitle("weekly control tower review", registry).mode).toBe("GOVERNANCE");
    expect(classifyTitle("send follow-up to the lead", registry).mode).toBe("CONTACT");
    expect(classifyTitle("backfill the CSV export", registry).mode).toBe("PIPELINE");
    // "cli" and "api" tie: the registry lists TOOLSMITH before CONTRACT.
    expect(classifyTitle("api cli", registry)).toMatchObject({ mode: "TOOLSMITH", tie: true, matches: { CONTRACT: ["api"], TOOLSMITH: ["cli"] } });
    expect(classifyTitle("api cli postgres", registry)).toMatchObject({ mode: "CONTRACT", tie: false });
    // A keyword inside a longer word does not count.
    expect(() => classifyTitle("rapid clinic", registry)).toThrow(ERROR_CANON.ERR_MODE_UNCLASSIFIED.fragment);
    expectError(() => classifyTitle("lunch", registry), "ERR_MODE_UNCLASSIFIED");
  });

  it("selects exactly one mode: --mode (an override when it differs), else the title, else the pipeline", () => {
    expect(selectMode({ pipelineMode: "PIPELINE" }, registry)).toMatchObject({
      mode: { name: "PIPELINE" },
      selection: { source: "pipeline", override: false },
    });
    expect(selectMode({ title: "ingest bars", pipelineMode: "CONTRACT" }, registry).selection).toEqual({
      source: "title",
      classified: "PIPELINE",
      override: false,
      title: "ingest bars",
    });
    expect(selectMode({ mode: "CONTRACT", title: "ingest bars", pipelineMode: "PIPELINE" }, registry).selection).toMatchObject({
      source: "flag",
      classified: "PIPELINE",
      override: true,
    });
    expect(selectMode({ mode: "PIPELINE", title: "ingest bars", pipelineMode: "PIPELINE" }, registry).selection.override).toBe(false);
    expect(selectMode({ mode: "CONTRACT", title: "lunch", pipelineMode: "CONTRACT" }, registry).selection).toMatchObject({ classified: null, override: false });
    expectError(() => selectMode({ mode: "DANCE", pipelineMode: "PIPELINE" }, registry), "ERR_MODE_UNKNOWN");
  });

  it("`modes` lists the registry with intent, outputs and risk; the workspace config adds or replaces modes", () => {
    const root = workspace("modes");
    const listed = json(runledger(["-w", root, "modes", "--json"], { cwd: dir }).stdout);
    expect(listed.modes.map((m: { name: string }) => m.name)).toEqual(["PIPELINE", "TOOLSMITH", "SERVICE", "CONTRACT", "GOVERNANCE", "CONTACT"]);
    expect(listed.modes[0]).toMatchObject({
      intent: "Transform inputs into validated artifacts repeatably",
      typicalOutputs: expect.stringContaining("datasets"),
      primaryRisk: expect.stringContaining("drift"),
    });
    const config = JSON.parse(readFileSync(join(root, "runledger.json"), "utf8")) as Record<string, unknown>;
    config["modes"] = [
      {
        name: "RESEARCH",
        intent: "Answer one question with sources",
        typicalOutputs: "notes",
        primaryRisk: "rabbit holes",
        keywords: ["survey"],
        evidence: [{ id: "sources", description: "sources cited" }],
      },
    ];
    writeFileSync(join(root, "runledger.json"), JSON.stringify(config));
    const extended = json(runledger(["-w", root, "modes", "--json"], { cwd: dir }).stdout);
    expect(extended.modes.map((m: { name: string }) => m.name)).toContain("RESEARCH");
    const classified = runledger(["-w", root, "classify", "a literature survey", "--json"], { cwd: dir });
    expect(json(classified.stdout).classification).toMatchObject({ mode: "RESEARCH", matches: { RESEARCH: ["survey"] } });
    config["modes"] = [{ name: "bad", intent: "" }];
    writeFileSync(join(root, "runledger.json"), JSON.stringify(config));
    const broken = runledger(["-w", root, "modes"], { cwd: dir });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain("ERR_CONFIG");
  });

  it("a run records its mode and how it was chosen; an operator not legal in the run's mode is refused", () => {
    const root = workspace("select");
    const hello = join(root, "pipelines/hello.yaml");
    const byTitle = json(runledger(["-w", root, "run", hello, "--title", "normalize the numbers", "--json"], { cwd: dir }).stdout);
    expect(byTitle.run).toMatchObject({ work_mode: "PIPELINE", mode_selection: { source: "title", classified: "PIPELINE", override: false } });
    const illegal = runledger(["-w", root, "run", hello, "--mode", "CONTACT", "--json"], { cwd: dir });
    expect(illegal.code).toBe(2);
    const error = json(illegal.stdout).error;
    expect(error.issues.map((i: { code: string }) => i.code)).toEqual(["ERR_MODE_ILLEGAL", "ERR_MODE_ILLEGAL"]);
    expect(error.issues[0].message).toContain("not legal in work mode CONTACT");
    const file = pipeline(
      root,
      "both",
      `pipeline: both\nmode: PIPELINE\ntasks:\n  a:\n    modes: [CONTACT]\n    run: "echo x > outputs/a.txt"\n    outputs: [outputs/a.txt]\n    checks: [{ nonEmpty: outputs/a.txt }]\n`,
    );
    const overridden = json(runledger(["-w", root, "run", file, "--mode", "CONTACT", "--title", "etl", "--json"], { cwd: dir }).stdout);
    expect(overridden.run).toMatchObject({ work_mode: "CONTACT", mode_selection: { source: "flag", classified: "PIPELINE", override: true } });
    const unknown = runledger(["-w", root, "run", hello, "--mode", "NOPE"], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("ERR_MODE_UNKNOWN");
  });
});

describe("evidence, next pointer and counted runs", () => {
  it("a run without a next pointer is not counted until `next` records one; runs --missing-next lists it", () => {
    const root = workspace("next");
    const hello = join(root, "pipelines/hello.yaml");
    const first = json(runledger(["-w", root, "run", hello, "--json"], { cwd: dir }).stdout).run;
    expect(first).toMatchObject({ work_mode: "PIPELINE", next: null, counted: false });
    expect(first.evidence).toEqual([
      expect.objectContaining({ item: "artifact", required: true, met: true, by: ["engine"] }),
      expect.objectContaining({ item: "content-check", required: true, met: true }),
      expect.objectContaining({ item: "manifest", required: false, met: true }),
    ]);
    expect(first.manifest_digest).toMatch(/^sha256:/);
    const second = json(runledger(["-w", root, "run", hello, "--next", "compare totals with yesterday", "--json"], { cwd: dir }).stdout).run;
    expect(second).toMatchObject({ next: "compare totals with yesterday", counted: true });
    const missing = json(runledger(["-w", root, "runs", "--missing-next", "--json"], { cwd: dir }).stdout).runs;
    expect(missing.map((r: { id: string }) => r.id)).toEqual([first.id]);
    const noted = runledger(["-w", root, "--actor", "human:ana", "next", first.id.slice(0, 8), "archive the run", "--json"], { cwd: dir });
    expect(json(noted.stdout).run).toMatchObject({ id: first.id, next: "archive the run", counted: true });
    expect(json(runledger(["-w", root, "runs", "--missing-next", "--json"], { cwd: dir }).stdout).runs).toEqual([]);
    const shown = json(runledger(["-w", root, "show", first.id, "--json"], { cwd: dir }).stdout).run;
    expect(shown).toMatchObject({ work_mode: "PIPELINE", next: "archive the run", counted: true });
    expect(runledger(["-w", root, "next", first.id, "  "], { cwd: dir }).code).toBe(2);
    expect(runledger(["-w", root, "verify"], { cwd: dir }).code).toBe(0);
  });

  it("the manifest lists counts and every passed output with its digest", async () => {
    const root = workspace("manifest");
    const run = json(runledger(["-w", root, "run", join(root, "pipelines/hello.yaml"), "--json"], { cwd: dir }).stdout).run;
    const ws = await openWorkspace(root);
    const manifest = JSON.parse(Buffer.from(await ws.artifacts.get(run.manifest_digest)).toString("utf8"));
    await ws.close();
    expect(manifest).toMatchObject({ schema: "runledger.manifest.v1", run_id: run.id, counts: { tasks: 2, passed: 2, failed: 0, skipped: 0, outputs: 2 } });
    expect(manifest.outputs.map((o: { task: string; path: string }) => `${o.task}:${o.path}`)).toEqual([
      "numbers:outputs/numbers.txt",
      "total:outputs/total.txt",
    ]);
  });

  it("operators declare the evidence they produce; a missing required item leaves the run uncounted and fires the mode's stop rule", () => {
    const root = workspace("toolsmith");
    const task = (name: string, evidence: string) =>
      `  ${name}:\n    evidence: [${evidence}]\n    run: "echo ok > outputs/${name}.txt"\n    outputs: [outputs/${name}.txt]\n    checks: [{ nonEmpty: outputs/${name}.txt }]\n`;
    const partial = pipeline(root, "tool", `pipeline: tool\nmode: TOOLSMITH\ntasks:\n${task("help", "usage")}${task("smoke", "smoke-run")}`);
    const run = json(runledger(["-w", root, "run", partial, "--next", "write the consumer example", "--json"], { cwd: dir }).stdout).run;
    expect(run.evidence.map((e: { item: string; met: boolean }) => `${e.item}=${e.met}`)).toEqual(["usage=true", "smoke-run=true", "consumer-example=false"]);
    expect(run.counted).toBe(false);
    expect(run.stop_rules).toEqual([expect.objectContaining({ rule: "toolsmith.no-adoption", subject: "consumer-example" })]);
    const full = pipeline(
      root,
      "tool2",
      `pipeline: tool2\nmode: TOOLSMITH\ntasks:\n${task("help", "usage")}${task("smoke", "smoke-run")}${task("example", "consumer-example")}`,
    );
    const done = json(runledger(["-w", root, "run", full, "--next", "announce the tool", "--json"], { cwd: dir }).stdout).run;
    expect(done).toMatchObject({ counted: true, stop_rules: [] });
    const unknown = pipeline(root, "tool3", `pipeline: tool3\nmode: TOOLSMITH\ntasks:\n${task("help", "vibes")}`);
    const refused = runledger(["-w", root, "run", unknown, "--json"], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(json(refused.stdout).error.issues[0]).toMatchObject({ path: ["tasks", "help", "evidence", 0] });
  });

  it("a task past its timebox is stopped and fires the timebox stop rule; the run asks for a next pointer", () => {
    const root = workspace("timebox");
    const file = pipeline(
      root,
      "slow",
      `pipeline: slow\ntasks:\n  nap:\n    run: "sleep 5"\n    outputs: [outputs/x]\n    checks: [{ nonEmpty: outputs/x }]\n    timeout: 300ms\n`,
    );
    const result = runledger(["-w", root, "run", file, "--json"], { cwd: dir });
    expect(result.code).toBe(1);
    const run = json(result.stdout).run;
    expect(run.stop_rules.map((r: { rule: string }) => r.rule)).toEqual(["timebox-exceeded", "pipeline.unverified"]);
    expect(run).toMatchObject({ counted: false, next: null });
  });

  it("an interactive run asks for the next pointer it lacks and records it", async () => {
    const root = workspace("ask");
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    const stdout = Object.assign(new PassThrough(), { isTTY: true });
    const out: string[] = [];
    stdout.on("data", (chunk: Buffer) => {
      out.push(chunk.toString());
      if (chunk.toString().includes("next pointer")) stdin.write("check the totals tomorrow\n");
    });
    const stderr = new PassThrough().resume();
    const code = await runCli(["-w", root, "run", join(root, "pipelines/hello.yaml")], {
      stdout,
      stderr,
      stdin,
      env: { ...process.env, RUNLEDGER_ACTOR: "human:ana" },
      cwd: dir,
    });
    expect(code).toBe(0);
    expect(out.join("")).toContain("next: check the totals tomorrow");
    const ws = await openWorkspace(root);
    const state = await new Projector(ws.ledger).catchUp();
    await ws.close();
    const run = Object.values(state.runs)[0]!;
    expect(run).toMatchObject({ next: "check the totals tomorrow", counted: true });
  });
});

describe("mock | real and the CI guard", () => {
  const effectful = `pipeline: quotes\ntasks:\n  fetch:\n    effects: [http.get]\n    run: "echo REAL > outputs/q.txt"\n    mock: "printf 'mock quote\\\\n' > outputs/q.txt"\n    outputs: [outputs/q.txt]\n    checks: [{ nonEmpty: outputs/q.txt }]\n`;

  it("with CI=true a real run of a pipeline with effects fails with ERR_CI_SAFETY before anything starts; mock runs", () => {
    const root = workspace("ci");
    const file = pipeline(root, "quotes", effectful);
    const refused = runledger(["-w", root, "run", file, "--json"], { cwd: dir, env: { CI: "true" } });
    expect(refused.code).toBe(2);
    expect(json(refused.stdout).error).toMatchObject({ code: "ERR_CI_SAFETY", message: expect.stringContaining("Refusing to run mode=real in CI") });
    expect(json(runledger(["-w", root, "runs", "--json"], { cwd: dir }).stdout).runs).toEqual([]);
    const mock = runledger(["-w", root, "run", file, "--run-mode", "mock", "--json"], { cwd: dir, env: { CI: "true" } });
    expect(mock.code).toBe(0);
    expect(json(mock.stdout).run).toMatchObject({ run_mode: "mock", status: "succeeded" });
    // A hermetic pipeline (no effects, no secrets) runs real in CI.
    expect(runledger(["-w", root, "run", join(root, "pipelines/hello.yaml")], { cwd: dir, env: { CI: "true" } }).code).toBe(0);
    // Outside CI the real run is allowed.
    expect(json(runledger(["-w", root, "run", file, "--json"], { cwd: dir, env: { CI: "" } }).stdout).run.run_mode).toBe("real");
    expect(runledger(["-w", root, "run", file, "--run-mode", "fake"], { cwd: dir }).code).toBe(2);
  });

  it("a mock run uses the mock provider, byte-identical from run to run, and its receipt says mode mock", async () => {
    const root = workspace("mock");
    const file = pipeline(root, "quotes", effectful);
    const a = json(runledger(["-w", root, "run", file, "--run-mode", "mock", "--no-cache", "--json"], { cwd: dir }).stdout).run;
    const b = json(runledger(["-w", root, "run", file, "--run-mode", "mock", "--no-cache", "--json"], { cwd: dir }).stdout).run;
    const ws = await openWorkspace(root);
    const state = await new Projector(ws.ledger).catchUp();
    const outputsOf = (run: { tasks: { attempts: { id: string }[] }[] }) => state.attempts[run.tasks[0]!.attempts[0]!.id]!.outputs;
    expect(outputsOf(a)).toEqual(outputsOf(b));
    expect(Buffer.from(await ws.artifacts.get(outputsOf(a)[0]!.digest)).toString()).toBe("mock quote\n");
    const receipt = JSON.parse(Buffer.from(await ws.artifacts.get(a.tasks[0].attempts[0].receipt_digest)).toString()) as { mode: string };
    await ws.close();
    expect(receipt.mode).toBe("mock");
  });

  it("a mock run of an operator with effects and no mock provider is refused with ERR_NO_MOCK", () => {
    const root = workspace("nomock");
    const file = pipeline(
      root,
      "bare",
      `pipeline: bare\ntasks:\n  post:\n    effects: [http.post]\n    run: "echo x > outputs/x"\n    outputs: [outputs/x]\n    checks: [{ nonEmpty: outputs/x }]\n`,
    );
    const refused = runledger(["-w", root, "run", file, "--run-mode", "mock", "--json"], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(json(refused.stdout).error.issues).toEqual([expect.objectContaining({ code: "ERR_NO_MOCK", path: ["tasks", "post", "mock"] })]);
    const byFile = pipeline(
      root,
      "filemock",
      `pipeline: filemock\nrunMode: mock\ntasks:\n  post:\n    effects: [http.post]\n    run: "echo x > outputs/x"\n    outputs: [outputs/x]\n    checks: [{ nonEmpty: outputs/x }]\n`,
    );
    expect(runledger(["-w", root, "run", byFile], { cwd: dir }).code).toBe(2);
  });
});
