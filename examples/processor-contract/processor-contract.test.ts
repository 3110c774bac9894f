import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EnvelopeSchema } from "../../src/contracts/envelope.js";
import { ERROR_CANON } from "../../src/core/errors.js";
import { runledger, runledgerAsync } from "../../test/support/cli.js";

const here = import.meta.dirname;
let dir: string;
let root: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "runledger-processors-"));
  root = join(dir, "ws");
  expect(runledger(["init", root], { cwd: dir }).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface RunJson {
  id: string;
  status: string;
  result: string;
  run_mode: string;
  enforcement: string;
  tasks: {
    name: string;
    outcome: string;
    attempts: { id: string; receipt_digest: string; error_code: string | null; effects: { effect: string; outcome: string; payload_digest: string }[] }[];
  }[];
}

/** A real scoring service on a free port: scores every review by its length, and keeps what it received. */
async function scoringService(): Promise<{ server: Server; url: string; received: unknown[] }> {
  const received: unknown[] = [];
  const server = createServer((req, res) => {
    let text = "";
    req.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
    req.on("end", () => {
      const body = JSON.parse(text) as { reviews: { id: string; text: string }[] };
      received.push({ path: req.url, type: req.headers["content-type"], body });
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ scores: body.reviews.map((r) => ({ id: r.id, score: r.text.length % 2 === 0 ? 0.5 : -0.5 })) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return { server, url: `http://127.0.0.1:${port}/score`, received };
}

/** As cliJson, without blocking this process: the scoring service runs in it. Never in CI mode. */
async function cliJsonAsync(args: string[]) {
  const result = await runledgerAsync(["-w", root, ...args, "--json"], { cwd: dir, env: { CI: "false" } });
  const lines = result.stdout.trim().split("\n");
  expect(lines).toHaveLength(1);
  return { code: result.code, envelope: JSON.parse(lines[0]!) as Record<string, unknown> };
}

/** Runs the CLI with --json: stdout must hold exactly one envelope, stderr only JSON log lines. */
function cliJson(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = runledger(["-w", root, ...args, "--json"], { cwd: dir, env });
  const lines = result.stdout.trim().split("\n");
  expect(lines).toHaveLength(1);
  for (const line of result.stderr.trim().split("\n").filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
  return { code: result.code, envelope: JSON.parse(lines[0]!) as Record<string, unknown> };
}

const attemptOf = (run: RunJson, task: string) => run.tasks.find((t) => t.name === task)!.attempts.at(-1)!;

describe("examples/processor-contract (seed 002)", () => {
  it("runs mock in CI: byte-stable outputs, canonical envelopes, receipt.json and outputs.json, logs on stderr only", async () => {
    const env = { CI: "true" };
    const first = cliJson(["run", join(here, "pipeline.mjs"), "--run-mode", "mock", "--no-cache"], env);
    const second = cliJson(["run", join(here, "pipeline.mjs"), "--run-mode", "mock", "--no-cache"], env);
    expect(first.code).toBe(0);
    const [a, b] = [first.envelope["run"] as RunJson, second.envelope["run"] as RunJson];
    expect(a).toMatchObject({ status: "succeeded", run_mode: "mock" });
    expect(attemptOf(a, "sentiment").id).not.toBe(attemptOf(b, "sentiment").id);

    const receiptOf = (attempt: string) => cliJson(["receipt", attempt]).envelope as { receipt: Record<string, unknown>; envelope: unknown };
    const ra = receiptOf(attemptOf(a, "sentiment").id);
    const rb = receiptOf(attemptOf(b, "sentiment").id);
    // Mock outputs are byte-identical from run to run: the same digests in both receipts.
    expect(ra.receipt["outputs_index"]).toEqual(rb.receipt["outputs_index"]);
    expect(ra.receipt).toMatchObject({ mode: "mock", usage: {}, processor_info: "sentiment/mock-lexicon@1", hash_schema: "runledger.inputs.v1" });
    expect(ra.receipt["env_fingerprint"]).toBe("SENTIMENT_URL=http://127.0.0.1:8787/score;");
    const envelope = EnvelopeSchema.parse(ra.envelope);
    expect(envelope.status).toBe("success");
    if (envelope.status !== "success") return;
    expect(envelope.outputs).toHaveLength(2);
    expect(envelope.outputs[0]!.path).toMatch(/^artifact:\/\/sha256\/[0-9a-f]{64}$/);
    // outputs.json is an index of the outputs, stored beside the receipt, never among the outputs.
    const index = runledger(["-w", root, "artifacts", "get", `sha256:${envelope.index_path.split("/").at(-1)}`], { cwd: dir });
    expect(JSON.parse(index.stdout)).toMatchObject({
      attempt_id: attemptOf(a, "sentiment").id,
      outputs: [{ path: "outputs/scores.jsonl" }, { path: "outputs/summary.json" }],
    });
  });

  it("refuses mode=real in CI with ERR_CI_SAFETY before any operator starts", () => {
    const refused = cliJson(["run", join(here, "pipeline.mjs")], { CI: "true" });
    expect(refused.code).toBe(2);
    const envelope = EnvelopeSchema.parse(refused.envelope);
    expect(envelope).toMatchObject({ status: "error", error: { code: "ERR_CI_SAFETY" } });
    if (envelope.status === "error") expect(envelope.error.message).toContain(ERROR_CANON.ERR_CI_SAFETY.fragment);
  });

  it("a processor that breaks the contract fails with the error canon's code, in an error envelope", () => {
    const failed = cliJson(["run", join(here, "broken.mjs")]);
    expect(failed.code).toBe(1);
    const attempt = attemptOf(failed.envelope["run"] as RunJson, "broken");
    expect(attempt.error_code).toBe("ERR_OUTPUT_DUPLICATE");
    const envelope = EnvelopeSchema.parse(cliJson(["receipt", attempt.id]).envelope["envelope"]);
    expect(envelope).toMatchObject({
      status: "error",
      execution_id: attempt.id,
      error: { code: "ERR_OUTPUT_DUPLICATE", message: expect.stringContaining(ERROR_CANON.ERR_OUTPUT_DUPLICATE.fragment) },
    });
  });

  it("runs real against a local scoring service: the POST goes through the effects client to SENTIMENT_URL and is recorded", async () => {
    const service = await scoringService();
    try {
      const ran = await cliJsonAsync(["run", join(here, "pipeline.mjs"), "--run-mode", "real", "--no-cache", "--param", `SENTIMENT_URL=${service.url}`]);
      expect(ran.code).toBe(0);
      const run = ran.envelope["run"] as RunJson;
      expect(run).toMatchObject({ status: "succeeded", run_mode: "real", enforcement: "enforced" });
      expect(service.received).toHaveLength(1);
      expect(service.received[0]).toMatchObject({
        path: "/score",
        type: "application/json",
        body: { reviews: [{ id: "R-1" }, { id: "R-2" }, { id: "R-3" }, { id: "R-4" }, { id: "R-5" }, { id: "R-6" }] },
      });
      const attempt = attemptOf(run, "sentiment");
      expect(attempt.effects).toMatchObject([{ effect: "http.post", outcome: "executed" }]);
      const { receipt } = cliJson(["receipt", attempt.id]).envelope as { receipt: Record<string, unknown> };
      expect(receipt).toMatchObject({
        mode: "real",
        enforcement: "enforced",
        processor_info: `sentiment/service@${service.url}`,
        usage: { requests: 1, reviews: 6 },
      });
      const scores = runledger(["-w", root, "artifacts", "get", (receipt["outputs_index"] as { digest: string }[])[0]!.digest], { cwd: dir });
      expect(
        scores.stdout
          .trim()
          .split("\n")
          .map((line) => JSON.parse(line) as unknown),
      ).toContainEqual({ id: "R-3", score: 0.5 });
    } finally {
      service.server.close();
    }
  });

  it("under --enforcement shadow the service receives nothing; the decision trace holds the call and its payload", async () => {
    const service = await scoringService();
    try {
      const ran = await cliJsonAsync([
        "run",
        join(here, "pipeline.mjs"),
        "--run-mode",
        "real",
        "--enforcement",
        "shadow",
        "--no-cache",
        "--param",
        `SENTIMENT_URL=${service.url}`,
      ]);
      expect(ran.code).toBe(0);
      expect(service.received).toEqual([]);
      const shown = cliJson(["show", (ran.envelope["run"] as RunJson).id]).envelope["run"] as RunJson;
      expect(shown).toMatchObject({ status: "succeeded", enforcement: "shadow" });
      const [call] = attemptOf(shown, "sentiment").effects;
      expect(call).toMatchObject({ effect: "http.post", outcome: "recorded" });
      const payload = runledger(["-w", root, "artifacts", "get", call!.payload_digest], { cwd: dir });
      expect(JSON.parse(payload.stdout)).toMatchObject({
        url: service.url,
        body: { reviews: [{ id: "R-1", text: "Great battery, fast delivery, love it" }, {}, {}, {}, {}, {}] },
      });
      const { receipt } = cliJson(["receipt", attemptOf(shown, "sentiment").id]).envelope as { receipt: Record<string, unknown> };
      expect(receipt).toMatchObject({ enforcement: "shadow", effects: [{ effect: "http.post", outcome: "recorded", payload_digest: call!.payload_digest }] });
      // The pipeline's shadow fake scored every review neutral.
      const summary = runledger(["-w", root, "artifacts", "get", (receipt["outputs_index"] as { digest: string }[])[1]!.digest], { cwd: dir });
      expect(JSON.parse(summary.stdout)).toEqual({ reviews: 6, mean: 0 });
    } finally {
      service.server.close();
    }
  });
});
