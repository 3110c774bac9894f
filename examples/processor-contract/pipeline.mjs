// Seed 002's processor contract on runledger: review sentiment, with a real provider (a scoring
// service reached through the effects client) and a mock provider (a byte-stable lexicon).
//
//   npx runledger run examples/processor-contract/pipeline.mjs --run-mode mock --json
//   npx runledger run examples/processor-contract/pipeline.mjs --param SENTIMENT_URL=http://host/score
//   npx runledger run examples/processor-contract/pipeline.mjs --enforcement shadow
// SENTIMENT_URL is a declared env value the real provider reads as ctx.env.SENTIMENT_URL. Under
// --enforcement shadow the POST goes to runledger's sink and is recorded; nothing is sent.
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { defineOperator, definePipeline } from "runledger";
import { mockSentiment, processorOperator, realSentiment } from "./processors.mjs";

const BUNDLED = fileURLToPath(new URL("./data/reviews.jsonl", import.meta.url));

const extract = defineOperator({
  id: "reviews.extract",
  version: "1.0.0",
  outputs: ["outputs/reviews.jsonl"],
  checks: [{ rowCount: { path: "outputs/reviews.jsonl", min: 1 } }, { rows: { path: "outputs/reviews.jsonl", expr: 'id != "" and text != ""' } }],
  timeout: "10s",
  async run(ctx) {
    const rows = (await readFile(BUNDLED, "utf8"))
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    const normalized = rows.map((r) => JSON.stringify({ id: r.id.trim(), text: r.text.trim() })).join("\n");
    await writeFile(`${ctx.outputsDir}/reviews.jsonl`, `${normalized}\n`);
  },
});

const sentiment = processorOperator({
  id: "reviews.sentiment",
  version: "1.0.0",
  real: realSentiment,
  mock: mockSentiment,
  effects: ["http.post"],
  env: { SENTIMENT_URL: "http://127.0.0.1:8787/score" },
  input: { task: "extract", path: "outputs/reviews.jsonl" },
  outputs: ["outputs/scores.jsonl", "outputs/summary.json"],
  checks: [
    { rows: { path: "outputs/scores.jsonl", expr: "score >= -1 and score <= 1" } },
    {
      jsonSchema: {
        path: "outputs/summary.json",
        schema: { type: "object", required: ["reviews", "mean"], properties: { reviews: { type: "integer", minimum: 1 }, mean: { type: "number" } } },
      },
    },
  ],
});

/**
 * The sink's fake answer for http.post in shadow runs: a neutral score per review, so the rest of
 * the pipeline runs on the same shape the service returns. Deterministic: it reads only the payload.
 */
function neutralScores(payload) {
  return { status: 200, body: { scores: (payload?.body?.reviews ?? []).map((r) => ({ id: r.id, score: 0 })) } };
}

export default definePipeline({
  name: "review-sentiment",
  mode: "PIPELINE",
  // http.post is built in; the pipeline adds only its shadow fake.
  effects: { "http.post": { shadow: neutralScores } },
  tasks: {
    extract: { operator: extract },
    sentiment: { operator: sentiment, needs: ["extract"] },
  },
});
