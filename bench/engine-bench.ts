import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runPipeline } from "../src/engine/run-pipeline.js";
import { defineOperator } from "../src/operators/define-operator.js";
import { definePipeline } from "../src/pipelines/define-pipeline.js";
import { loadPipelineYaml } from "../src/pipelines/load-yaml.js";
import { engineDeps, initWorkspace } from "../src/workspace/workspace.js";
import { median, table, timed } from "./stats.js";

/** DAG sizes, e.g. `BENCH_ENGINE_N=200,2000`; the issue's full matrix takes about half an hour. */
const SIZES = (process.env["BENCH_ENGINE_N"] ?? "200").split(",").map(Number);
/** What each task runs: `echo` writes a file (and runledger checks it), `true` writes nothing. */
const KINDS = (process.env["BENCH_ENGINE_KINDS"] ?? "echo,true").split(",") as Kind[];
const RUNS = Number(process.env["BENCH_RUNS"] ?? 3);
const FUNCTIONS = Number(process.env["BENCH_ENGINE_FUNCTIONS"] ?? 10_000);
const CACHED = Number(process.env["BENCH_ENGINE_CACHED"] ?? 2_000);
const ACTOR = Object.freeze({ kind: "service", id: "bench" } as const);
const CLI = resolve(dirname(fileURLToPath(import.meta.url)), "../dist/cli/main.js");
const GNU_TIME = "/usr/bin/time";

type Shape = "fan-out" | "chain" | "diamond";
type Kind = "echo" | "true";
/** The tasks each task needs: fan-out from one root, a single chain, or layers of 10 each needing the whole layer before. */
function needsOf(shape: Shape, i: number): number[] {
  if (i === 0) return [];
  if (shape === "fan-out") return [0];
  if (shape === "chain") return [i - 1];
  const layer = Math.floor(i / 10);
  return layer === 0 ? [] : Array.from({ length: 10 }, (_, k) => (layer - 1) * 10 + k);
}

function yamlFor(shape: Shape, n: number, kind: Kind = "echo"): string {
  const body =
    kind === "echo"
      ? `    run: "echo x > outputs/out.txt"\n    outputs: [outputs/out.txt]\n    checks: [{ nonEmpty: outputs/out.txt }]\n`
      : `    run: "true"\n    checks: [{ command: { run: "true" } }]\n`;
  const tasks = Array.from({ length: n }, (_, i) => {
    const needs = needsOf(shape, i);
    return `  t${i}:\n${needs.length ? `    needs: [${needs.map((d) => `t${d}`).join(", ")}]\n` : ""}${body}`;
  });
  return `pipeline: bench-${shape}\ncache: false\ntasks:\n${tasks.join("")}`;
}

function makefileFor(shape: Shape, n: number, kind: Kind): string {
  const rules = Array.from(
    { length: n },
    (_, i) =>
      `t${i}: ${needsOf(shape, i)
        .map((d) => `t${d}`)
        .join(" ")}\n\t${kind === "echo" ? "echo x > out/$@" : "true"}\n`,
  );
  return `.PHONY: all ${Array.from({ length: n }, (_, i) => `t${i}`).join(" ")}\nall: ${Array.from({ length: n }, (_, i) => `t${i}`).join(" ")}\n${rules.join("")}`;
}

function ninjaFor(shape: Shape, n: number, kind: Kind): string {
  const edges = Array.from(
    { length: n },
    (_, i) =>
      `build t${i}: run ${needsOf(shape, i)
        .map((d) => `t${d}`)
        .join(" ")}\n`,
  );
  return `rule run\n  command = ${kind === "echo" ? "echo x > out/$out" : "true"}\n${edges.join("")}`;
}

/** Wall time (measured here) and peak RSS (GNU time's %M, in KiB) of one command run to its end. */
function measure(argv: readonly string[], cwd: string): { seconds: number; rssKb: number } {
  const start = process.hrtime.bigint();
  const child = spawnSync(GNU_TIME, ["-f", "%M", ...argv], { cwd, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (child.status !== 0) throw new Error(`${argv.join(" ")} exited with ${child.status}: ${child.stderr.slice(-500)}`);
  return { seconds, rssKb: Number(child.stderr.trim().split("\n").at(-1)) };
}

/** What the bench runs side by side must be installed; it says what to install rather than fail half way. */
function assertTools(): void {
  const missing = [
    { tool: GNU_TIME, args: ["--version"], install: "apt-get install -y time" },
    { tool: "make", args: ["--version"], install: "apt-get install -y make" },
    { tool: "ninja", args: ["--version"], install: "apt-get install -y ninja-build" },
  ].filter((t) => spawnSync(t.tool, t.args, { stdio: "ignore" }).error !== undefined);
  if (!existsSync(CLI)) missing.push({ tool: "dist/cli/main.js", args: [], install: "npm run build" });
  if (missing.length > 0) {
    console.error(`the engine benchmark needs: ${missing.map((m) => `${m.tool} (${m.install})`).join(", ")}`);
    process.exit(2);
  }
}

export async function engineBench(): Promise<void> {
  assertTools();
  console.log(
    `engine benchmark: the runledger CLI (\`runledger run --concurrency 2\`, a fresh workspace each run, every receipt durable), make -j2 and ninja -j2 on the same DAGs; ${RUNS} runs each, medians; peak RSS by GNU time\n`,
  );
  const root = mkdtempSync(join(tmpdir(), "runledger-engine-bench-"));
  const rows: string[][] = [["dag", "runledger", "make -j2", "ninja -j2", "runledger/task", "vs ninja", "RSS runledger", "RSS ninja"]];
  try {
    for (const n of SIZES) {
      for (const kind of KINDS) {
        for (const shape of ["fan-out", "chain", "diamond"] as const) {
          const times = { runledger: [] as number[], make: [] as number[], ninja: [] as number[] };
          const rss = { runledger: [] as number[], ninja: [] as number[] };
          for (let run = 0; run < RUNS; run++) {
            const dir = join(root, `${n}-${kind}-${shape}-${run}`);
            mkdirSync(join(dir, "make", "out"), { recursive: true });
            mkdirSync(join(dir, "ninja", "out"), { recursive: true });
            writeFileSync(join(dir, "make", "Makefile"), makefileFor(shape, n, kind));
            writeFileSync(join(dir, "ninja", "build.ninja"), ninjaFor(shape, n, kind));
            writeFileSync(join(dir, "pipeline.yaml"), yamlFor(shape, n, kind));
            times.make.push(measure(["make", "-s", "-j2"], join(dir, "make")).seconds);
            const ninja = measure(["ninja", "-j2", "--quiet"], join(dir, "ninja"));
            times.ninja.push(ninja.seconds);
            rss.ninja.push(ninja.rssKb);
            const init = spawnSync(process.execPath, [CLI, "init", "ws"], { cwd: dir, stdio: "ignore", env: { ...process.env, CI: "" } });
            if (init.status !== 0) throw new Error(`runledger init exited with ${init.status}`);
            const runledger = measure([process.execPath, CLI, "-w", "ws", "run", "pipeline.yaml", "--concurrency", "2", "--json"], dir);
            times.runledger.push(runledger.seconds);
            rss.runledger.push(runledger.rssKb);
            rmSync(dir, { recursive: true, force: true });
          }
          const [r, m, nj] = [median(times.runledger), median(times.make), median(times.ninja)];
          rows.push([
            `${shape} ${n} ${kind}`,
            `${r.toFixed(2)} s`,
            `${m.toFixed(2)} s`,
            `${nj.toFixed(2)} s`,
            `${((r / n) * 1000).toFixed(1)} ms`,
            `${(r / nj).toFixed(1)}x`,
            `${Math.round(median(rss.runledger) / 1024)} MiB`,
            `${Math.round(median(rss.ninja) / 1024)} MiB`,
          ]);
          console.log(rows.at(-1)?.join("  "));
        }
      }
    }
    console.log(`\n${table(rows)}\n\ntarget: runledger <= 1.5x ninja's wall time`);
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
  console.log(
    `\ncached re-run of fan-out ${CACHED}: ${seconds.toFixed(2)} s, ${((seconds / CACHED) * 1e6).toFixed(0)} µs/task (first run ${first.toFixed(1)} s; target <= 0.5 s for 2000 tasks)`,
  );
}

/** In-process no-op function operators: the engine's own per-task cost, without processes. */
async function inProcess(root: string): Promise<void> {
  const noop = defineOperator({
    id: "noop",
    version: "1",
    outputs: ["outputs/x"],
    checks: [{ nonEmpty: "outputs/x" }],
    timeout: "10s",
    run: (ctx) => writeFileSync(join(ctx.outputsDir, "x"), "x"),
  });
  const tasks = Object.fromEntries(Array.from({ length: FUNCTIONS }, (_, i) => [`f${i}`, { operator: noop, needs: i === 0 ? [] : ["f0"] }]));
  const def = definePipeline({ name: "bench-functions", cache: false, tasks });
  const ws = await initWorkspace(join(root, "functions"), ACTOR);
  const seconds = await timed(() => runPipeline(def, engineDeps(ws, ACTOR), { project: "bench", concurrency: 8 }));
  await ws.close();
  console.log(
    `in-process function operators: ${FUNCTIONS} tasks in ${seconds.toFixed(2)} s = ${Math.round(FUNCTIONS / seconds)} tasks/s (target >= 20,000 tasks/s); peak RSS of the bench process ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`,
  );
}
