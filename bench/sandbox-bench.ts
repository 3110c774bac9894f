import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runPipeline } from "../src/engine/run-pipeline.js";
import { loadPipelineYaml } from "../src/pipelines/load-yaml.js";
import { engineDeps, initWorkspace } from "../src/workspace/workspace.js";
import { median, table, timed } from "./stats.js";

/** Tasks of the fan-out, and alternating runs of each setting (`BENCH_SANDBOX_N`, `BENCH_SANDBOX_RUNS`). */
const TASKS = Number(process.env["BENCH_SANDBOX_N"] ?? 200);
const RUNS = Number(process.env["BENCH_SANDBOX_RUNS"] ?? 5);

function fanOut(sandbox: "on" | "off"): string {
  const body = `    run: "echo x > outputs/out.txt"\n    outputs: [outputs/out.txt]\n    checks: [{ nonEmpty: outputs/out.txt }]\n`;
  const tasks = Array.from({ length: TASKS }, (_, i) => `  t${i}:\n${i > 0 ? "    needs: [t0]\n" : ""}${body}`);
  return `pipeline: bench-sandbox-${sandbox}\ncache: false\nsandbox: ${sandbox}\ntasks:\n${tasks.join("")}`;
}

/**
 * The cost of the command sandbox: a fan-out of `echo` tasks in process, with the sandbox and with
 * `sandbox: off`, the two alternating in one workspace so the machine's load falls on both alike.
 */
export async function sandboxBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "runledger-bench-sandbox-"));
  const ws = await initWorkspace(join(dir, "ws"), { kind: "service", id: "bench" });
  try {
    const deps = engineDeps(ws, { kind: "service", id: "bench" });
    const times: Record<"on" | "off", number[]> = { on: [], off: [] };
    for (let i = 0; i < RUNS; i++) {
      for (const setting of i % 2 === 0 ? (["on", "off"] as const) : (["off", "on"] as const)) {
        const def = loadPipelineYaml(fanOut(setting), join(dir, `${setting}.yaml`));
        times[setting].push(await timed(() => runPipeline(def, deps, { project: ws.config.project, concurrency: 2 })));
      }
    }
    const row = (setting: "on" | "off") => [
      setting === "on" ? "bubblewrap" : "off",
      `${median(times[setting]).toFixed(2)} s`,
      `${((median(times[setting]) / TASKS) * 1e3).toFixed(1)} ms`,
      times[setting].map((t) => t.toFixed(2)).join(" "),
    ];
    console.log(`\nsandbox: fan-out of ${TASKS} echo tasks, concurrency 2, medians of ${RUNS} alternating runs`);
    console.log(table([["sandbox", "wall", "per task", "runs"], row("on"), row("off")]));
    console.log(`ratio: ${(median(times.on) / median(times.off)).toFixed(2)}x`);
  } finally {
    await ws.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
