// Processors in the shape of seed 002: `makeRunner(config)` returns the processor, a callable
// from an input to a ProcessorResult { outputs: [OutputItem], processor_info, usage, extra };
// providers are callables too, one real and one mock per processor. Every OutputItem.relpath
// starts with "outputs/"; receipts and outputs.json are runledger's to write, never a processor's.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, posix } from "node:path";
import { RunledgerError, defineOperator } from "runledger";

/** Builds a processor from its config; `config.provider` is the callable that does the work. */
export function makeRunner(config) {
  if (typeof config?.provider !== "function") throw new RunledgerError("ERR_INPUTS", { detail: "config.provider must be a callable provider" });
  return async (input) => {
    const result = await config.provider(input, config);
    const seen = new Set();
    for (const item of result.outputs) {
      const relpath = posix.normalize(item.relpath);
      if (!relpath.startsWith("outputs/"))
        throw new RunledgerError("ERR_OUTPUT_OUTSIDE", { detail: `${item.relpath}: OutputItem.relpath must start with outputs/` });
      if (seen.has(relpath)) throw new RunledgerError("ERR_OUTPUT_DUPLICATE", { detail: relpath });
      seen.add(relpath);
    }
    for (const item of result.outputs) {
      const file = join(input.outputsDir, posix.normalize(item.relpath).slice("outputs/".length));
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, item.content);
    }
    return {
      outputs: result.outputs.map((o) => ({ relpath: posix.normalize(o.relpath) })),
      processor_info: result.processor_info,
      usage: result.usage,
      extra: result.extra ?? {},
    };
  };
}

const POSITIVE = new Set(["great", "love", "fast", "good", "excellent", "value", "works"]);
const NEGATIVE = new Set(["terrible", "broken", "slow", "bad", "poor", "not"]);

/** The mock provider: a fixed lexicon, byte-stable output, no network, no secrets, empty usage. */
export function mockSentiment(input) {
  const scores = input.reviews.map((review) => {
    const words = review.text
      .toLowerCase()
      .split(/[^a-z]+/)
      .filter(Boolean);
    const raw = words.reduce((sum, w) => sum + (POSITIVE.has(w) ? 1 : NEGATIVE.has(w) ? -1 : 0), 0);
    return { id: review.id, score: Math.max(-1, Math.min(1, raw / 3)) };
  });
  return scoreResult(scores, "sentiment/mock-lexicon@1", {});
}

/**
 * The real provider: asks the scoring service through the engine's effects client (effect
 * http.post, declared by the operator). The engine performs the POST in an enforced real run; in a
 * shadow run it records the call and answers with the pipeline's fake, so nothing is sent.
 */
export async function realSentiment(input, config) {
  const response = await input.effects.call("http.post", { url: config.endpoint, body: { reviews: input.reviews } });
  const scores = (response.body?.scores ?? response.scores ?? []).map((s) => ({ id: String(s.id), score: Number(s.score) }));
  return scoreResult(scores, `sentiment/service@${config.endpoint}`, { requests: 1, reviews: input.reviews.length });
}

function scoreResult(scores, processorInfo, usage) {
  const mean = scores.length === 0 ? 0 : scores.reduce((sum, s) => sum + s.score, 0) / scores.length;
  return {
    outputs: [
      { relpath: "outputs/scores.jsonl", content: scores.map((s) => JSON.stringify(s)).join("\n") + "\n" },
      { relpath: "outputs/summary.json", content: `${JSON.stringify({ reviews: scores.length, mean: Math.round(mean * 1000) / 1000 })}\n` },
    ],
    processor_info: processorInfo,
    usage,
  };
}

/** A processor whose provider emits one output twice (after canonicalization): the error canon's ERR_OUTPUT_DUPLICATE. */
export function duplicateOutputs() {
  return {
    outputs: [
      { relpath: "outputs/a.txt", content: "1\n" },
      { relpath: "outputs/./a.txt", content: "2\n" },
    ],
    processor_info: "broken@1",
    usage: {},
  };
}

async function readJsonl(file) {
  return (await readFile(file, "utf8"))
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

/**
 * A runledger operator around a processor: `run` uses the real provider, `mock` the mock one; the
 * processor reads the reviews its upstream task passed, and the result's processor_info and usage
 * go into the receipt.
 */
export function processorOperator({ id, version, real, mock, outputs, checks, effects = [], env = {}, input }) {
  const body = (provider) => async (ctx) => {
    const reviews = input ? await readJsonl(ctx.inputs[input.task][input.path]) : [];
    const runner = makeRunner({ provider, endpoint: ctx.env.SENTIMENT_URL });
    const result = await runner({ reviews, outputsDir: ctx.outputsDir, effects: ctx.effects });
    ctx.log("processor.exec.success", { processor_info: result.processor_info, outputs: result.outputs.length });
    return { processorInfo: result.processor_info, usage: result.usage };
  };
  return defineOperator({ id, version, effects, env, outputs, checks, timeout: "30s", run: body(real), mock: body(mock) });
}
