import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluateCheck } from "../src/checks/index.js";
import { ReceiptSchema } from "../src/contracts/receipt.js";
import { sha256 } from "../src/core/digest.js";
import type { EngineDeps } from "../src/engine/attempt-context.js";
import { completeTask, runPipeline } from "../src/engine/index.js";
import { Projector } from "../src/ledger/projections/projector.js";
import { loadPipelineYaml } from "../src/pipelines/load-yaml.js";
import { engineDeps, initWorkspace, openWorkspace, type Workspace } from "../src/workspace/workspace.js";
import { expectErrorAsync } from "./support/expect-error.js";

const ACTOR = Object.freeze({ kind: "service", id: "outputs-test" } as const);
const ALICE = Object.freeze({ kind: "human", id: "alice" } as const);
let dir: string;
let ws: Workspace;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "runledger-outputs-"));
  ws = await initWorkspace(join(dir, "ws"), ACTOR);
});
afterAll(async () => {
  await ws.close();
  rmSync(dir, { recursive: true, force: true });
});

let pipelines = 0;

/** One task `t` writing `outputs` with `run`; `limits` is the pipeline's `limits:` line, if any. A new name each time, as a violation quarantines its operator. */
function pipeline(run: string, outputs: readonly string[], limits = ""): string {
  pipelines += 1;
  return `
pipeline: hardening${pipelines}
${limits}
tasks:
  t:
    run: ${JSON.stringify(run)}
    outputs: [${outputs.join(", ")}]
    checks: [{ nonEmpty: ${outputs[0]} }]
`;
}

/** Runs a pipeline; returns the last attempt of `t`, what the run appended, and the store. */
async function run(
  yaml: string,
  workspace: Workspace = ws,
  deps: EngineDeps = { ledger: ws.ledger, artifacts: ws.artifacts, actor: ACTOR, workRoot: join(dir, "work") },
) {
  const before = (await workspace.ledger.head()).seq;
  const def = loadPipelineYaml(yaml, join(dir, "pipeline.yaml"));
  const started = Date.now();
  const id = await runPipeline(def, deps, { project: "default", noCache: true });
  const ms = Date.now() - started;
  const state = await new Projector(workspace.ledger).catchUp();
  const attempt = state.attempts[state.runs[id]!.tasks["t"]!.attempts.at(-1)!]!;
  let appendedBytes = 0;
  for await (const event of workspace.ledger.read({ afterSeq: before })) appendedBytes += JSON.stringify(event).length;
  return { attempt, appendedBytes, ms, state };
}

async function storedSizes(workspace: Workspace = ws): Promise<number[]> {
  const sizes: number[] = [];
  for await (const digest of workspace.artifacts.list()) sizes.push((await workspace.artifacts.stat(digest))!.size_bytes);
  return sizes;
}

describe("links in outputs/", () => {
  it("a declared output that is a link to /etc/passwd is refused with ERR_OUTPUT_SYMLINK, and /etc/passwd never reaches the store", async () => {
    const passwd = sha256(readFileSync("/etc/passwd"));
    const { attempt } = await run(pipeline("ln -s /etc/passwd outputs/x", ["outputs/x"]));
    expect(attempt).toMatchObject({ status: "failed", error_code: "ERR_OUTPUT_SYMLINK" });
    expect(attempt.reason).toContain("outputs/x");
    expect(await ws.artifacts.has(passwd)).toBe(false);
  });

  it("an undeclared link beside a declared file fails the attempt too, naming the link", async () => {
    const { attempt } = await run(pipeline("echo ok > outputs/a.txt; mkdir outputs/sub; ln -s /etc outputs/sub/etc", ["outputs/a.txt"]));
    expect(attempt).toMatchObject({ status: "failed", error_code: "ERR_OUTPUT_SYMLINK" });
    expect(attempt.reason).toContain("outputs/sub/etc");
    expect(attempt.outputs).toEqual([]);
  });

  it("outputs/ replaced by a link to /usr is refused at once: nothing enumerated, a short reason, a small ledger append", async () => {
    const { attempt, appendedBytes } = await run(pipeline("rmdir outputs && ln -s /usr outputs", ["outputs/x"]));
    expect(attempt).toMatchObject({ status: "failed", error_code: "ERR_OUTPUT_SYMLINK" });
    expect(attempt.reason!.length).toBeLessThan(300);
    expect(appendedBytes).toBeLessThan(20_000);
  });

  it("a log the task replaced by a link is removed, not read through: /etc/passwd never reaches the store", async () => {
    const passwd = sha256(readFileSync("/etc/passwd"));
    // Unsandboxed, a command can reach its log beside its directory; in the sandbox it cannot (below).
    const { attempt } = await run(pipeline("echo ok > outputs/a.txt; ln -sf /etc/passwd ../t.1.stdout", ["outputs/a.txt"], "sandbox: off"));
    expect(attempt).toMatchObject({ status: "failed", error_code: "ERR_OUTPUT_SYMLINK" });
    expect(attempt.reason).toContain("stdout was replaced by a symbolic link");
    expect(await ws.artifacts.has(passwd)).toBe(false);
    const sandboxed = await run(pipeline("echo ok > outputs/a.txt; ln -sf /etc/passwd ../t.1.stdout || echo refused", ["outputs/a.txt"]));
    expect(sandboxed.attempt).toMatchObject({ status: "succeeded" });
    expect(await ws.artifacts.has(passwd)).toBe(false);
  });

  it("a declared fifo is refused as not a regular file, without waiting for a writer", async () => {
    const { attempt, ms } = await run(pipeline("mkfifo outputs/x", ["outputs/x"]));
    expect(attempt).toMatchObject({ status: "failed", error_code: "ERR_ADAPTER_INVOCATION" });
    expect(attempt.reason).toContain("outputs/x is a fifo, not a regular file");
    expect(ms).toBeLessThan(10_000);
  });
});

describe("lists in reasons are capped", () => {
  it("10,000 undeclared files give a reason naming 20 of them and the count of the rest", async () => {
    const { attempt, appendedBytes } = await run(pipeline("echo ok > outputs/a.txt; cd outputs && seq 1 10000 | xargs touch", ["outputs/a.txt"]));
    expect(attempt).toMatchObject({ status: "failed", error_code: "ERR_OUTPUT_UNDECLARED" });
    expect(attempt.reason).toMatch(/and 9,980 more, which it does not declare$/);
    expect(attempt.reason!.match(/outputs\/\d+/g)).toHaveLength(20);
    expect(appendedBytes).toBeLessThan(20_000);
  }, 30_000);
});

describe("size limits", () => {
  it("a sparse 2 GiB output over the pipeline's 1 MiB limit is refused by its size, not read, and not stored", async () => {
    const { attempt, ms } = await run(pipeline("truncate -s 2G outputs/big.bin", ["outputs/big.bin"], "limits: { outputBytes: 1MiB }"));
    expect(attempt).toMatchObject({ status: "failed", error_code: "ERR_OUTPUT_TOO_LARGE" });
    expect(attempt.reason).toContain("outputs/big.bin is 2,147,483,648 bytes, over the limit of 1,048,576");
    // Reading and hashing 2 GiB takes seconds; a stat does not.
    expect(ms).toBeLessThan(3_000);
    expect(Math.max(...(await storedSizes()))).toBeLessThan(1024 ** 2);
  });

  it("outputs each within the output limit but together over the attempt limit are refused, none of them stored", async () => {
    const write = "head -c 600000 /dev/zero | tr '\\0' a > outputs/a.bin; head -c 600000 /dev/zero | tr '\\0' b > outputs/b.bin";
    const { attempt } = await run(pipeline(write, ["outputs/a.bin", "outputs/b.bin"], "limits: { outputBytes: 1MiB, attemptBytes: 1000000 }"));
    expect(attempt).toMatchObject({ status: "failed", error_code: "ERR_OUTPUT_TOO_LARGE" });
    expect(attempt.reason).toContain("outputs/b.bin");
    expect(attempt.reason).toContain("over the limit of 1,000,000 bytes an attempt");
    expect(await ws.artifacts.has(sha256("a".repeat(600_000)))).toBe(false);
    expect(await ws.artifacts.has(sha256("b".repeat(600_000)))).toBe(false);
  });

  it("a YAML limit that is no size is ERR_VALIDATION naming limits.outputBytes", async () => {
    const error = await expectErrorAsync(() => loadPipelineYaml(pipeline("true", ["outputs/x"], "limits: { outputBytes: lots }"), "p.yaml"), "ERR_VALIDATION");
    expect(error.issues.map((i) => i.path.join("."))).toContain("limits.outputBytes");
  });

  describe("from runledger.json", () => {
    let limited: Workspace;
    let deps: EngineDeps;
    beforeAll(async () => {
      const root = join(dir, "limited");
      (await initWorkspace(root, ACTOR)).close();
      const config = JSON.parse(readFileSync(join(root, "runledger.json"), "utf8")) as Record<string, unknown>;
      writeFileSync(join(root, "runledger.json"), JSON.stringify({ ...config, limits: { outputBytes: "4KiB" } }));
      limited = await openWorkspace(root);
      deps = engineDeps(limited, ACTOR);
    });
    afterAll(() => limited.close());

    it("refuses an output over the workspace's limit; the pipeline's own limit wins", async () => {
      const write = "head -c 5000 /dev/zero > outputs/x.bin";
      const refused = await run(pipeline(write, ["outputs/x.bin"]), limited, deps);
      expect(refused.attempt).toMatchObject({ status: "failed", error_code: "ERR_OUTPUT_TOO_LARGE" });
      expect(refused.attempt.reason).toContain("outputs/x.bin is 5,000 bytes, over the limit of 4,096");
      const allowed = await run(pipeline(write, ["outputs/x.bin"], "limits: { outputBytes: 8KiB }"), limited, deps);
      expect(allowed.attempt).toMatchObject({ status: "succeeded" });
    });

    it("cuts a log over the limit, ending it with a line saying so, and fails the attempt", async () => {
      const { attempt } = await run(pipeline("head -c 9000 /dev/zero | tr '\\0' y; echo ok > outputs/x.txt", ["outputs/x.txt"]), limited, deps);
      expect(attempt).toMatchObject({ status: "failed", error_code: "ERR_OUTPUT_TOO_LARGE" });
      expect(attempt.reason).toContain("stdout reached 9,000 bytes");
      const receipt = ReceiptSchema.parse(JSON.parse(Buffer.from(await limited.artifacts.get(attempt.receipt_digest!)).toString("utf8")));
      expect(receipt.stdout?.size_bytes).toBe(4096);
      const stdout = Buffer.from(await limited.artifacts.get(receipt.stdout!.digest)).toString("utf8");
      expect(stdout).toMatch(/^y+\n\[runledger: cut at 4,096 bytes; the log reached 9,000 bytes\]\n$/);
    });
  });
});

describe("manual evidence", () => {
  const SURVEY = `
pipeline: hardening
tasks:
  t:
    manual: { steps: ["write answers.csv"] }
    outputs: [outputs/answers.csv]
    checks: [{ nonEmpty: outputs/answers.csv }]
    timeout: 30m
`;
  it("evidence given as a link is refused before anything is recorded", async () => {
    const def = loadPipelineYaml(SURVEY, join(dir, "survey.yaml"));
    const deps = { ledger: ws.ledger, artifacts: ws.artifacts, actor: ACTOR, workRoot: join(dir, "work") };
    const runId = await runPipeline(def, deps, { project: "default" });
    const folder = mkdtempSync(join(dir, "evidence-"));
    symlinkSync("/etc/passwd", join(folder, "answers.csv"));
    const head = (await ws.ledger.head()).seq;
    const error = await expectErrorAsync(
      () => completeTask(def, { ...deps, actor: ALICE }, runId, { task: "t", files: [join(folder, "answers.csv")], result: "PASS" }, { project: "default" }),
      "ERR_EVIDENCE_MISMATCH",
    );
    expect(error.issues[0]?.message).toContain("is a symbolic link");
    expect((await ws.ledger.head()).seq).toBe(head);
  });
});

describe("checks never follow a link", () => {
  it("a file check on a link inside the directory fails with reason symlink", async () => {
    const checked = mkdtempSync(join(dir, "checked-"));
    mkdirSync(join(checked, "outputs"));
    writeFileSync(join(checked, "outputs/notes.txt"), "some notes\n");
    symlinkSync("notes.txt", join(checked, "outputs/link.txt"));
    expect(await evaluateCheck({ nonEmpty: "outputs/link.txt" }, { dir: checked })).toMatchObject({ result: "FAIL", evidence: { reason: "symlink" } });
    expect(await evaluateCheck({ nonEmpty: "outputs/notes.txt" }, { dir: checked })).toMatchObject({ result: "PASS" });
  });
});
