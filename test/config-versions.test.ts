import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ReceiptSchema, type Receipt } from "../src/contracts/receipt.js";
import { sha256 } from "../src/core/digest.js";
import { runPipeline } from "../src/engine/run-pipeline.js";
import { Projector } from "../src/ledger/projections/projector.js";
import { defineOperator } from "../src/operators/define-operator.js";
import { definePipeline } from "../src/pipelines/define-pipeline.js";
import { loadPipelineYaml } from "../src/pipelines/load-yaml.js";
import { initWorkspace, type Workspace } from "../src/workspace/workspace.js";
import { expectError, expectErrorAsync } from "./support/expect-error.js";

const ACTOR = Object.freeze({ kind: "service", id: "config-test" } as const);
let dir: string;
let ws: Workspace;
let pipelines: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "runledger-configs-"));
  ws = await initWorkspace(join(dir, "ws"), ACTOR);
  pipelines = join(dir, "pipelines");
  mkdirSync(pipelines);
});
afterAll(async () => {
  await ws.close();
  rmSync(dir, { recursive: true, force: true });
});

const deps = () => ({ ledger: ws.ledger, artifacts: ws.artifacts, actor: ACTOR, workRoot: join(dir, "work") });

const YAML = `pipeline: scored
tasks:
  score:
    run: 'cat config/thresholds > outputs/used.txt'
    configs: { thresholds: conf/thresholds.json }
    outputs: [outputs/used.txt]
    checks: [{ nonEmpty: outputs/used.txt }]
`;

async function runYaml(yaml: string) {
  const id = await runPipeline(loadPipelineYaml(yaml, join(pipelines, "scored.yaml")), deps(), { project: "default" });
  const state = await new Projector(ws.ledger).catchUp();
  const attempt = state.attempts[state.runs[id]!.tasks["score"]!.attempts.at(-1)!]!;
  const receipt: Receipt = ReceiptSchema.parse(JSON.parse(Buffer.from(await ws.artifacts.get(attempt.receipt_digest!)).toString("utf8")));
  const output = Buffer.from(await ws.artifacts.get(attempt.outputs[0]!.digest)).toString("utf8");
  return { attempt, receipt, output, view: state.runs[id]! };
}

describe("config versions", () => {
  it("records each config read as a ConfigVersionRef in the receipt; the attempt reads exactly those bytes", async () => {
    mkdirSync(join(pipelines, "conf"), { recursive: true });
    const content = '{"min_score": 0.7}\n';
    writeFileSync(join(pipelines, "conf/thresholds.json"), content);
    const first = await runYaml(YAML);
    expect(first.view.status).toBe("succeeded");
    expect(first.attempt.source_attempt_id).toBeNull();
    const digest = sha256(content);
    expect(first.receipt.config_versions).toEqual([{ config_name: "thresholds", config_version: digest.slice(7, 19), digest, ref: "conf/thresholds.json" }]);
    expect(first.output).toBe(content);
  });

  it("an unchanged config is a cache hit; a changed one changes the cache key and runs the task again", async () => {
    const again = await runYaml(YAML);
    expect(again.attempt.source_attempt_id).not.toBeNull();
    expect(again.output).toBe('{"min_score": 0.7}\n');

    const changed = '{"min_score": 0.9}\n';
    writeFileSync(join(pipelines, "conf/thresholds.json"), changed);
    const rerun = await runYaml(YAML);
    expect(rerun.attempt.source_attempt_id).toBeNull();
    expect(rerun.attempt.cache_key).not.toBe(again.attempt.cache_key);
    expect(rerun.output).toBe(changed);
    expect(rerun.receipt.config_versions[0]?.config_version).toBe(sha256(changed).slice(7, 19));

    // Back to the first content: the first attempt's key again, so it is reused.
    writeFileSync(join(pipelines, "conf/thresholds.json"), '{"min_score": 0.7}\n');
    const back = await runYaml(YAML);
    expect(back.attempt.source_attempt_id).not.toBeNull();
    expect(back.output).toBe('{"min_score": 0.7}\n');
  });

  it("a declared config with no file fails with ERR_VALIDATION before anything is recorded", async () => {
    const seq = (await new Projector(ws.ledger).catchUp()).seq;
    const def = loadPipelineYaml(YAML.replace("conf/thresholds.json", "conf/absent.json"), join(pipelines, "scored.yaml"));
    const error = await expectErrorAsync(() => runPipeline(def, deps(), { project: "default" }), "ERR_VALIDATION");
    expect(error.issues).toEqual([
      expect.objectContaining({ path: ["tasks", "score", "configs", "thresholds"], message: expect.stringContaining("conf/absent.json") }),
    ]);
    expect((await new Projector(ws.ledger).catchUp()).seq).toBe(seq);
  });

  it("a function operator reads its configs through ctx.configs; a bad config name is a definition error", async () => {
    const file = join(pipelines, "limits.txt");
    await writeFile(file, "limit=5\n");
    const def = definePipeline({
      name: "fn-config",
      tasks: {
        read: {
          operator: defineOperator({
            id: "read-config",
            version: "1.0.0",
            timeout: "10s",
            configs: { limits: file },
            outputs: ["outputs/copy.txt"],
            checks: [{ nonEmpty: "outputs/copy.txt" }],
            run: async (ctx) => writeFile(join(ctx.outputsDir, "copy.txt"), await readFile(ctx.configs["limits"] as string)),
          }),
        },
      },
    });
    const id = await runPipeline(def, deps(), { project: "default" });
    const state = await new Projector(ws.ledger).catchUp();
    const attempt = state.attempts[state.runs[id]!.tasks["read"]!.attempts[0]!]!;
    expect(Buffer.from(await ws.artifacts.get(attempt.outputs[0]!.digest)).toString("utf8")).toBe("limit=5\n");
    const receipt = ReceiptSchema.parse(JSON.parse(Buffer.from(await ws.artifacts.get(attempt.receipt_digest!)).toString("utf8")));
    expect(receipt.config_versions).toEqual([expect.objectContaining({ config_name: "limits", ref: file, digest: sha256("limit=5\n") })]);
  });

  it("rejects a config name that cannot be a file name", () => {
    const error = expectError(
      () =>
        defineOperator({
          id: "bad-config",
          version: "1.0.0",
          timeout: "1s",
          configs: { "../x": "x.json" },
          run: () => undefined,
          checks: [{ nonEmpty: "outputs/x" }],
        }),
      "ERR_VALIDATION",
    );
    expect(error.issues).toEqual([expect.objectContaining({ path: ["configs", "../x"] })]);
  });
});
