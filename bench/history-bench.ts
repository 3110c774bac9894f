import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Actor } from "../src/contracts/common.js";
import { initWorkspace, openWorkspace } from "../src/workspace/workspace.js";
import { HistoryMix, type HistoryMark } from "./history-events.js";
import { formatRate, median, table, timed } from "./stats.js";

/** Ledger sizes in events, e.g. `BENCH_HISTORY_SIZES=10000,100000` for a quick run. */
const SIZES = (process.env["BENCH_HISTORY_SIZES"] ?? "10000,100000,1000000").split(",").map(Number);
const RUNS = Number(process.env["BENCH_HISTORY_RUNS"] ?? 5);
const REBUILDS = Number(process.env["BENCH_HISTORY_REBUILDS"] ?? 3);
const FAN_OUT = Number(process.env["BENCH_HISTORY_FAN_OUT"] ?? 2_000);
/** Events per append() while building: large groups, so that a million builds in minutes. */
const BATCH = 10_000;
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const CLI = join(ROOT, "dist/cli/main.js");
const GNU_TIME = "/usr/bin/time";
const ENV = { ...process.env, CI: "", RUNLEDGER_ACTOR: "service:bench" };
const PERSON: Actor = Object.freeze({ kind: "human", id: "ada" } as const);
const TARGET = { readMs: 150, readGrowth: 1.3, cachedSeconds: 0.5, rebuildPerSecond: 200_000, rssMiB: 100 } as const;

interface Sample {
  readonly seconds: number;
  /** Peak RSS in KiB, when GNU time is there to tell. */
  readonly rssKiB: number | undefined;
}

interface SizeFigures {
  readonly events: number;
  readonly build: { seconds: number; megabytes: number };
  readonly reads: Map<string, Sample[]>;
  readonly rebuild: number[];
  readonly cached: { first: number; reruns: number[] };
}

/** A workspace whose ledger holds `total` events of the realistic mix, appended through the Ledger with read models on. */
async function buildWorkspace(root: string, total: number): Promise<{ mark: HistoryMark; seconds: number; megabytes: number }> {
  const ws = await initWorkspace(root, PERSON);
  const mix = new HistoryMix(ws.config.project);
  let written = (await ws.ledger.head()).seq;
  const seconds = await timed(async () => {
    while (written < total) {
      const events = mix.next(Math.min(BATCH, total - written));
      await ws.ledger.append(events);
      written += events.length;
    }
  });
  await ws.close();
  if (!mix.mark) throw new Error(`a history of ${total} events holds no whole run with a reused task`);
  const db = join(root, ".runledger");
  const megabytes = ["ledger.db", "ledger.db-wal"].map((f) => join(db, f)).reduce((sum, f) => sum + (existsSync(f) ? statSync(f).size : 0), 0) / 2 ** 20;
  return { mark: mix.mark, seconds, megabytes };
}

function hasGnuTime(): boolean {
  return spawnSync(GNU_TIME, ["--version"], { stdio: "ignore" }).error === undefined;
}

/** Wall time around the whole child and, through GNU time, its peak RSS. */
function sample(argv: readonly string[], cwd: string, gnuTime: boolean): Sample {
  const command = gnuTime ? [GNU_TIME, "-f", "%M", process.execPath, ...argv] : [process.execPath, ...argv];
  const start = process.hrtime.bigint();
  const child = spawnSync(command[0]!, command.slice(1), { cwd, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8", env: ENV, maxBuffer: 1 << 28 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (child.status !== 0) throw new Error(`${argv.join(" ")} exited ${child.status}: ${child.stderr.slice(-800)}`);
  return { seconds, rssKiB: gnuTime ? Number(child.stderr.trim().split("\n").at(-1)) : undefined };
}

function readCommands(ws: string, mark: HistoryMark): Record<string, string[]> {
  return {
    "node -e 0 (peer)": ["-e", "0"],
    "--version": [CLI, "--version"],
    runs: [CLI, "-w", ws, "runs"],
    "show <run>": [CLI, "-w", ws, "show", mark.runId],
    "explain <run> <task>": [CLI, "-w", ws, "explain", mark.runId, mark.task],
    audit: [CLI, "-w", ws, "audit"],
    "gate status": [CLI, "-w", ws, "gate", "status"],
  };
}

/** Every read command once to warm the page cache, then RUNS rounds, round-robin so the machine's load falls on each alike. */
function timeReads(ws: string, mark: HistoryMark, gnuTime: boolean): Map<string, Sample[]> {
  const commands = Object.entries(readCommands(ws, mark));
  for (const [, argv] of commands) sample(argv, ROOT, false);
  const samples = new Map<string, Sample[]>(commands.map(([name]) => [name, []]));
  for (let round = 0; round < RUNS; round++) for (const [name, argv] of commands) samples.get(name)!.push(sample(argv, ROOT, gnuTime));
  return samples;
}

/** Events per second of a forced rebuild of the read models from the whole chain. */
async function timeRebuilds(ws: string): Promise<{ events: number; rates: number[] }> {
  const workspace = await openWorkspace(ws);
  try {
    const events = (await workspace.ledger.head()).seq;
    const rates: number[] = [];
    for (let i = 0; i < REBUILDS; i++) rates.push(events / (await timed(() => workspace.ledger.rebuildReadModels())));
    return { events, rates };
  } finally {
    await workspace.close();
  }
}

/** A fan-out of FAN_OUT cached `echo` tasks run once through the CLI on the big workspace, then timed again RUNS times: every task reused. */
function timeCachedRerun(dir: string, ws: string): { first: number; reruns: number[] } {
  const tasks = Array.from(
    { length: FAN_OUT },
    (_, i) =>
      `  t${i}:\n${i === 0 ? "" : "    needs: [t0]\n"}    run: "echo x > outputs/out.txt"\n    outputs: [outputs/out.txt]\n    checks: [{ nonEmpty: outputs/out.txt }]\n`,
  );
  const pipeline = join(dir, "fan-out.yaml");
  writeFileSync(pipeline, `pipeline: bench-fan-out\ntasks:\n${tasks.join("")}`);
  const argv = [CLI, "-w", ws, "--json", "run", pipeline, "--concurrency", "2"];
  const first = sample(argv, dir, false).seconds;
  return { first, reruns: Array.from({ length: RUNS }, () => sample(argv, dir, false).seconds) };
}

async function measureSize(dir: string, total: number, gnuTime: boolean): Promise<SizeFigures> {
  const ws = join(dir, `ws-${total}`);
  const built = await buildWorkspace(ws, total);
  console.log(`  ${total.toLocaleString("en-US")} events built in ${built.seconds.toFixed(1)} s (${built.megabytes.toFixed(0)} MiB); timing reads`);
  const reads = timeReads(ws, built.mark, gnuTime);
  const rebuilt = await timeRebuilds(ws);
  console.log(`  rebuilt; running the ${FAN_OUT}-task fan-out`);
  const cached = timeCachedRerun(dir, ws);
  return { events: rebuilt.events, build: built, reads, rebuild: rebuilt.rates, cached };
}

const ms = (seconds: number) => `${(seconds * 1000).toFixed(0)} ms`;

function report(figures: SizeFigures[], gnuTime: boolean): void {
  const wall = (f: SizeFigures, name: string) => median(f.reads.get(name)!.map((s) => s.seconds));
  const rss = (f: SizeFigures, name: string) => median(f.reads.get(name)!.map((s) => s.rssKiB ?? 0)) / 1024;
  const readNames = [...figures[0]!.reads.keys()].filter((name) => !name.endsWith("(peer)"));
  const growth = (value: (f: SizeFigures) => number) => `${(value(figures.at(-1)!) / value(figures[0]!)).toFixed(2)}x`;
  const peer = (f: SizeFigures) => wall(f, "node -e 0 (peer)");
  const rows: string[][] = [
    ["measurement", ...figures.map((f) => `${f.events.toLocaleString("en-US")} events`), "largest/smallest", "target", "peer: node -e 0"],
    ...readNames.map((name) => [
      name,
      ...figures.map((f) => ms(wall(f, name))),
      growth((f) => wall(f, name)),
      `<= ${TARGET.readMs} ms, <= ${TARGET.readGrowth}x`,
      figures.map((f) => ms(peer(f))).join(" / "),
    ]),
    [
      `cached re-run, ${FAN_OUT}-task fan-out`,
      ...figures.map((f) => `${median(f.cached.reruns).toFixed(2)} s`),
      growth((f) => median(f.cached.reruns)),
      `<= ${TARGET.cachedSeconds} s`,
      "-",
    ],
    ["read models rebuild", ...figures.map((f) => formatRate(median(f.rebuild))), "-", `>= ${formatRate(TARGET.rebuildPerSecond)}`, "-"],
  ];
  if (gnuTime) {
    const peak = (f: SizeFigures) => Math.max(...readNames.map((name) => rss(f, name)));
    rows.push(["peak RSS of a read command", ...figures.map((f) => `${peak(f).toFixed(0)} MiB`), growth(peak), `<= ${TARGET.rssMiB} MiB`, "-"]);
  }
  console.log(`\n${table(rows)}\n`);
  for (const f of figures) {
    const heaviest = gnuTime ? readNames.reduce((a, b) => (rss(f, a) >= rss(f, b) ? a : b)) : undefined;
    console.log(
      `${f.events.toLocaleString("en-US")} events: built through Ledger.append in ${f.build.seconds.toFixed(1)} s (${formatRate(f.events / f.build.seconds)}, ${f.build.megabytes.toFixed(0)} MiB); ` +
        `fan-out first run ${f.cached.first.toFixed(1)} s, re-runs ${f.cached.reruns.map((s) => s.toFixed(2)).join(", ")} s; rebuilds ${f.rebuild.map(Math.round).join(", ")}/s` +
        (heaviest ? `; heaviest read ${heaviest} (${rss(f, heaviest).toFixed(0)} MiB)` : ""),
    );
  }
  if (!gnuTime) console.log("peak RSS not measured: GNU time (/usr/bin/time) is missing");
}

/** `npm run bench -- history`: the read commands, a cached re-run and a rebuild of the read models over ledgers of 10 k, 100 k and 1 M events. */
export async function historyBench(): Promise<void> {
  if (!existsSync(CLI)) throw new Error("dist/cli/main.js is missing: npm run build");
  const gnuTime = hasGnuTime();
  console.log(
    `history benchmark: workspaces of ${SIZES.map((n) => n.toLocaleString("en-US")).join(", ")} events (a realistic mix, read models on); the real CLI, ${RUNS} runs each, medians (Node ${process.version})\n`,
  );
  const dir = mkdtempSync(join(tmpdir(), "runledger-history-bench-"));
  try {
    const figures: SizeFigures[] = [];
    for (const total of SIZES) figures.push(await measureSize(dir, total, gnuTime));
    report(figures, gnuTime);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
