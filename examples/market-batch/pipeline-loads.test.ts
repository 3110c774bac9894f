import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { OperatorDefinition } from "../../src/operators/index.js";
import { loadPipelineFile, planPipeline } from "../../src/pipelines/index.js";

const PIPELINE = resolve(import.meta.dirname, "pipeline.yaml");

describe("examples/market-batch/pipeline.yaml", () => {
  it("loads and plans as raw → staging → analytics → report", async () => {
    const def = await loadPipelineFile(PIPELINE);
    expect(def).toMatchObject({ name: "market-batch", mode: "PIPELINE", cache: true });
    const plan = planPipeline(def);
    expect(plan.order).toEqual(["raw", "staging", "analytics", "report"]);
    expect(plan.layers).toEqual([["raw"], ["staging"], ["analytics"], ["report"]]);
    expect(def.tasks["staging"]).toMatchObject({ needs: ["raw"], critical: true });
    expect(def.tasks["analytics"]).toMatchObject({ needs: ["staging"], critical: false });
    expect(def.tasks["report"]).toMatchObject({ needs: ["analytics"], critical: false });
  });

  it("declares BARS_SET=good on raw and the four ingestion-gate checks on staging", async () => {
    const def = await loadPipelineFile(PIPELINE);
    const raw = def.tasks["raw"]?.operator as OperatorDefinition;
    expect(raw.env).toEqual({ BARS_SET: "good" });
    expect(raw.outputs).toEqual(["outputs/bars.csv"]);
    const staging = def.tasks["staging"]?.operator as OperatorDefinition;
    expect(staging.outputs).toEqual(["outputs/bars.csv", "outputs/manifest.json"]);
    expect(staging.checks.map((check) => Object.keys(check)[0])).toEqual(["command", "command", "rows", "jsonSchema"]);
    expect(staging.checks[2]).toEqual({ rows: { path: "outputs/bars.csv", expr: "high >= low && volume >= 0 && open > 0 && close > 0" } });
    const analytics = def.tasks["analytics"]?.operator as OperatorDefinition;
    expect(analytics.checks).toContainEqual({ rowCount: { path: "outputs/summary.csv", min: 5, max: 5 } });
  });
});
