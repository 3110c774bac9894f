import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runPipeline } from "../src/engine/run-pipeline.js";
import { defineOperator } from "../src/operators/define-operator.js";
import { definePipeline } from "../src/pipelines/define-pipeline.js";
import { loadPipelineYaml } from "../src/pipelines/load-yaml.js";
import { engineDeps, initWorkspace } from "../src/workspace/workspace.js";
import { median, table, timed } from "./stats.js";

const N = Number(process.env["BENCH_ENGINE_N"] ?? 200);
const RUNS = Number(process.env["BENCH_RUNS"] ?? 3);
const FUNCTIONS = Number(process.env["BENCH_ENGINE_FUNCTIONS"] ?? 2_000);
const CACHED = Number(process.env["BENCH_ENGINE_CACHED"] ?? 2_000);
const ACTOR = Object.freeze({ kind: "service", id: "bench" } as const);

type Shape = "fan-out" | "chain" | "diamond";
/** The tasks each task needs: fan-out from one root, a single chain, or layers of 10 each needing the whole layer before. */
function needsOf(shape: Shape, i: number): number[] {
  if (i === 0) return [];
  if (shape === "fan-out") return [0];
  if (shape === "chain") return [i - 1];
  const layer = Math.floor(i / 10);
  return layer === 0 ? [] : Array.from({ length: 10 }, (_, k) => (layer - 1) * 10 + k);
}

function yamlFor(shape: Shape, n = N): string {
  const tasks = Array.from({ length: n }, (_, i) => {
    const needs = needsOf(shape, i);
    return `  t${i}:\n${needs.length ? `    needs: [${needs.map((n) => `t${n}`).join(", ")}]\n` : ""}    run: "echo x > outputs/out.txt"\n    outputs: [outputs/out.txt]\n    checks: [{ nonEmpty: outputs/out.txt }]\n`;
  });
  return `pipeline: bench-${shape}\ncache: false\ntasks:\n${tasks.join("")}`;
}

function makefileFor(shape: Shape): string {
  const rules = Array.from({ length: N }, (_, i) => `out/t${i}: ${needsOf(shape, i).map((n) => `out/t${n}`).join(" ")}\n\techo x > $@\n`);
  return `all: ${Array.from({ length: N }, (_, i) => `out/t${i}`).join(" ")}\n${rules.join("")}`;
}

function ninjaFor(shape: Shape): string {
  const edges = Array.from({ length: N }, (_, i) => `build out/t${i}: echo ${needsOf(shape, i).map((n) => `out/t${n}`).join(" ")}\n`);
  return `rule echo\n  command = echo x > $out\n${edges.join("")}`;
}

export async function engineBench(): Promise<void> {
  console.log(`engine benchmark: ${N} tasks of \`echo x > file\` per DAG, concurrency 2, ${RUNS} runs each, medians\n`);
  const root = mkdtempSync(join(tmpdir(), "runledger-engine-bench-"));
  const rows: string[][] = [["dag", "runledger", "make -j2", "ninja -j2", "runledger/task", "vs ninja"]];
  try {
    for (const shape of ["fan-out", "chain", "diamond"] as const) {
      const times = { runledger: [] as number[], make: [] as number[], ninja: [] as number[] };
      for (let run = 0; run < RUNS; run++) {
        const dir = join(root, `${shape}-${run}`);
        mkdirSync(join(dir, "out"), { recursive: true });
        writeFileSync(join(dir, "Makefile"), makefileFor(shape));
        writeFileSync(join(dir, "build.ninja"), ninjaFor(shape));
        times.make.push(await timed(() => execFileSync("make", ["-s", "-j2"], { cwd: dir })));
        renameSync(join(dir, "out"), join(dir, "out.make"));
        mkdirSync(join(dir, "out"));
        times.ninja.push(await timed(() => execFileSync("ninja", ["-j2", "--quiet"], { cwd: dir })));
        const ws = await initWorkspace(join(dir, "ws"), ACTOR);
        const def = loadPipelineYaml(yamlFor(shape), join(dir, "pipeline.yaml"));
        times.runledger.push(await timed(() => runPipeline(def, engineDeps(ws, ACTOR), { project: "bench", concurrency: 2 })));
        await ws.close();
      }
      const [r, m, n] = [median(times.runledger), median(times.make), median(times.ninja)];
      rows.push([`${shape} ${N}`, `${r.toFixed(2)} s`, `${m.toFixed(2)} s`, `${n.toFixed(2)} s`, `${((r / N) * 1000).toFixed(1)} ms`, `${(r / n).toFixed(1)}x`]);
    }
    console.log(table(rows));
    await cachedRerun(root);
    await inProcess(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * A fan-out DAG of CACHED tasks run once, then again three times in the same workspace: every
 * re-run reuses every task. Each re-run also reads the history the runs before it left.
 */
async function cachedRerun(root: string): Promise<void> {
  const ws = await initWorkspace(join(root, "cached"), ACTOR);
  const def = loadPipelineYaml(yamlFor("fan-out", CACHED).replace("cache: false\n", ""), join(root, "cached.yaml"));
  const first = await timed(() => runPipeline(def, engineDeps(ws, ACTOR), { project: "bench", concurrency: 2 }));
  const reruns: number[] = [];
  for (let run = 0; run < 3; run++) reruns.push(await timed(() => runPipeline(def, engineDeps(ws, ACTOR), { project: "bench", concurrency: 2 })));
  await ws.close();
  const seconds = median(reruns);
  console.log(`\ncached re-run of fan-out ${CACHED}: ${seconds.toFixed(2)} s, ${((seconds / CACHED) * 1e6).toFixed(0)} µs/task (first run ${first.toFixed(1)} s; target <= 0.5 s for 2000 tasks)`);
}

/** In-process no-op function operators: the engine's own per-task cost, without processes. */
async function inProcess(root: string): Promise<void> {
  const noop = defineOperator({ id: "noop", version: "1", outputs: ["outputs/x"], checks: [{ nonEmpty: "outputs/x" }], timeout: "10s", run: (ctx) => writeFileSync(join(ctx.outputsDir, "x"), "x") });
  const tasks = Object.fromEntries(Array.from({ length: FUNCTIONS }, (_, i) => [`f${i}`, { operator: noop, needs: i === 0 ? [] : ["f0"] }]));
  const def = definePipeline({ name: "bench-functions", cache: false, tasks });
  const ws = await initWorkspace(join(root, "functions"), ACTOR);
  const seconds = await timed(() => runPipeline(def, engineDeps(ws, ACTOR), { project: "bench", concurrency: 8 }));
  await ws.close();
  console.log(`in-process function operators: ${FUNCTIONS} tasks in ${seconds.toFixed(2)} s = ${Math.round(FUNCTIONS / seconds)} tasks/s (target >= 20,000 tasks/s)`);
}
