import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import jsyaml from "js-yaml";
import * as YAML from "yaml";
import { loadPipelineYaml } from "../src/pipelines/load-yaml.js";
import { pipelineDigest, planPipeline } from "../src/pipelines/plan.js";
import { median, table, timed } from "./stats.js";

/** Runs of each in-process measure and of each child process (`BENCH_PIPELINES_RUNS`, `BENCH_PIPELINES_CHILD_RUNS`). */
const RUNS = Number(process.env["BENCH_PIPELINES_RUNS"] ?? 15);
const CHILD_RUNS = Number(process.env["BENCH_PIPELINES_CHILD_RUNS"] ?? 5);
const SIZES = [200, 2_000] as const;
const GROUP = 10;

const DIST = resolve(import.meta.dirname, "../dist");

/**
 * A pipeline of `n` command tasks shaped like real ones: groups of ten fanning out from the
 * previous group's join task and fanning back into the group's own join, each with outputs and
 * checks; some with env, retries, timeouts and a description. Every fifth group's join reads a
 * registered operator with params instead.
 */
export function benchPipeline(n: number): Record<string, unknown> {
  const tasks: Record<string, unknown> = {};
  tasks["source"] = { run: "seq 1 100 > outputs/numbers.txt", outputs: ["outputs/numbers.txt"], checks: [{ nonEmpty: "outputs/numbers.txt" }] };
  for (let i = 1; i < n; i++) {
    const group = Math.floor((i - 1) / GROUP);
    const isJoin = i % GROUP === 0 || i === n - 1;
    const upstream = group === 0 ? "source" : `join-${group - 1}`;
    const name = isJoin ? `join-${group}` : `task-${i}`;
    const members = Array.from({ length: GROUP }, (_, k) => group * GROUP + 1 + k).filter((k) => k < i && k % GROUP !== 0);
    const needs = isJoin ? members.map((k) => `task-${k}`) : [upstream];
    if (isJoin && group % 5 === 4) {
      tasks[name] = { operator: "numbers@1.0.0", needs, params: { count: i, label: `group ${group}`, strict: true } };
      continue;
    }
    const out = `outputs/${name}.csv`;
    tasks[name] = {
      run: ["sh", "-c", `cut -d, -f1 inputs/*.txt > ${out}`],
      ...(needs.length > 0 && { needs }),
      outputs: [out],
      checks: i % 3 === 0 ? [{ nonEmpty: out }, { rowCount: { path: out, min: 1 } }] : [{ nonEmpty: out }],
      ...(i % 4 === 0 && { env: { ROWS: i, MODE: "fast" } }),
      ...(i % 7 === 0 && { retries: 2, timeout: "5m" }),
      ...(i % 11 === 0 && { description: `step ${i} of the ${group}th group` }),
    };
  }
  return { pipeline: `bench-${n}`, mode: "PIPELINE", tasks };
}

interface Row {
  readonly label: string;
  readonly times: number[];
}

async function sample(label: string, work: () => unknown): Promise<Row> {
  work(); // warm: the first call pays for loading and compiling
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await timed(work));
  return { label, times };
}

/** A fresh `node` that imports the loader from dist and loads the file: module loading included. */
function childLoad(file: string): Row {
  const url = pathToFileURL(join(DIST, "pipelines/load-pipeline-source.js")).href;
  const script = `const { loadPipelineSource } = await import(${JSON.stringify(url)}); await loadPipelineSource(${JSON.stringify(file)});`;
  const times: number[] = [];
  for (let i = 0; i < CHILD_RUNS; i++) {
    times.push(timedSync(() => mustExit(spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" }), 0)));
  }
  return { label: "child node: import + loadPipelineSource", times };
}

/** `runledger run` of the pipeline with one unknown `needs`: start-up, load, validate and the error report. */
function cliRun(dir: string, file: string): Row {
  const times: number[] = [];
  for (let i = 0; i < CHILD_RUNS; i++) {
    times.push(timedSync(() => mustExit(spawnSync(process.execPath, [join(DIST, "cli/main.js"), "run", file], { cwd: dir, encoding: "utf8" }), 2)));
  }
  return { label: "CLI: runledger run (fails validation)", times };
}

function timedSync(work: () => void): number {
  const start = process.hrtime.bigint();
  work();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function mustExit(result: ReturnType<typeof spawnSync>, code: number): void {
  if (result.status !== code) throw new Error(`expected exit ${code}, got ${String(result.status)}: ${String(result.stderr)}`);
}

function ms(seconds: number): string {
  return `${(seconds * 1e3).toFixed(1)} ms`;
}

async function measureSize(dir: string, n: number): Promise<void> {
  const value = benchPipeline(n);
  const text = YAML.stringify(value, { lineWidth: 0 });
  const json = JSON.stringify(value);
  const file = join(dir, `bench-${n}.yaml`);
  writeFileSync(file, text);
  const broken = value as { tasks: Record<string, { needs?: string[] }> };
  const bad = { ...broken, tasks: { ...broken.tasks, "task-1": { ...broken.tasks["task-1"], needs: ["nowhere"] } } };
  const badText = YAML.stringify(bad, { lineWidth: 0 });
  const badFile = join(dir, `bench-${n}-bad.yaml`);
  writeFileSync(badFile, badText);
  const def = loadPipelineYaml(text, file);
  const rows = [
    await sample("peer: JSON.parse of the same structure", () => JSON.parse(json)),
    await sample("yaml: parse() to plain values", () => YAML.parse(text)),
    await sample("js-yaml: load() (what the loader reads with)", () => jsyaml.load(text)),
    await sample("yaml: parseDocument + LineCounter + toJS", () => YAML.parseDocument(text, { lineCounter: new YAML.LineCounter(), uniqueKeys: true }).toJS()),
    await sample("loadPipelineYaml (parse + validate)", () => loadPipelineYaml(text, file)),
    await sample("loadPipelineYaml, one unknown needs (error path)", () => expectThrow(() => loadPipelineYaml(badText, badFile))),
    await sample("planPipeline + pipelineDigest", () => [planPipeline(def), pipelineDigest(def)]),
    childLoad(file),
    cliRun(dir, badFile),
  ];
  const base = median(rows[0]!.times);
  console.log(`\npipelines: ${n} tasks, ${(text.length / 1024).toFixed(0)} KiB of YAML; medians of ${RUNS} runs in process, ${CHILD_RUNS} for child processes`);
  console.log(
    table([
      ["measure", "median", "per task", "× JSON.parse"],
      ...rows.map(({ label, times }) => [label, ms(median(times)), `${((median(times) / n) * 1e6).toFixed(1)} µs`, `${(median(times) / base).toFixed(1)}x`]),
    ]),
  );
}

function expectThrow(work: () => unknown): void {
  try {
    work();
  } catch {
    return;
  }
  throw new Error("expected the broken pipeline to fail validation");
}

/** Loading and validating YAML pipelines of 200 and 2,000 tasks, beside JSON.parse of the same structure. */
export async function pipelinesBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "runledger-bench-pipelines-"));
  try {
    for (const n of SIZES) await measureSize(dir, n);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
