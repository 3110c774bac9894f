import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { median, table } from "./stats.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const CLI = join(ROOT, "dist/cli/main.js");
const PIPELINE = join(ROOT, "examples/market-batch/pipeline.yaml");
const RUNS = Number(process.env["BENCH_STARTUP_RUNS"] ?? 11);
/** Another build's `dist/cli/main.js` (a copy of an older dist beside a `node_modules`), measured alternating with this one. */
const BASELINE = process.env["BENCH_STARTUP_BASELINE"];
const GNU_TIME = "/usr/bin/time";
const ENV = { ...process.env, CI: "", RUNLEDGER_ACTOR: "service:bench" };

/** One command line to time; `cli` ones run the CLI (this build's, or the baseline's). */
interface Case {
  readonly name: string;
  readonly argv: (cli: string) => string[];
  readonly cli: boolean;
}

interface Sample {
  readonly seconds: number;
  readonly rssKiB: number;
}

/** Every module a command loads, noted by a loader hook: registerHooks (in-thread) where Node has it, else Node 20's register. */
function hookFiles(dir: string): string {
  const note = 'import { appendFileSync } from "node:fs";\nconst note = (url) => appendFileSync(process.env.BENCH_MODULE_LOG, url + "\\n");\n';
  const hooks = join(dir, "count-hooks.mjs");
  writeFileSync(hooks, `${note}export async function load(url, context, next) {\n  note(url);\n  return next(url, context);\n}\n`);
  const register = join(dir, "count-register.mjs");
  writeFileSync(
    register,
    `import module from "node:module";\n${note}if (module.registerHooks) module.registerHooks({ load: (url, context, next) => (note(url), next(url, context)) });\nelse module.register(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
  );
  return register;
}

function modulesLoaded(argv: string[], cwd: string, register: string, dir: string): number {
  const log = join(dir, "modules.log");
  writeFileSync(log, "");
  spawnSync(process.execPath, ["--import", register, ...argv], { cwd, stdio: "ignore", env: { ...ENV, BENCH_MODULE_LOG: log } });
  // The hook's own registration module is not the command's.
  return readFileSync(log, "utf8")
    .split("\n")
    .filter((url) => url !== "" && !url.endsWith("count-register.mjs")).length;
}

/** Wall time around the whole child (GNU time's own start included, for every case alike) and its peak RSS. */
function sample(argv: string[], cwd: string): Sample {
  const start = process.hrtime.bigint();
  const child = spawnSync(GNU_TIME, ["-f", "%M", process.execPath, ...argv], { cwd, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8", env: ENV });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (child.status !== 0) throw new Error(`${argv.join(" ")} exited ${child.status}: ${child.stderr}`);
  return { seconds, rssKiB: Number(child.stderr.trim().split("\n").pop()) };
}

/** A small real workspace: init, then one run of the market-batch example. */
function makeWorkspace(dir: string): { cwd: string; runId: string; task: string } {
  const cwd = join(dir, "ws");
  const cli = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: "utf8", env: ENV });
  if (cli(["init", cwd]).status !== 0) throw new Error("runledger init failed");
  const run = cli(["-w", cwd, "--json", "run", PIPELINE]);
  if (run.status !== 0) throw new Error(`the market-batch run failed: ${run.stdout}${run.stderr}`);
  const view = JSON.parse(run.stdout) as { run: { id: string; tasks: { name: string }[] } };
  return { cwd, runId: view.run.id, task: view.run.tasks.at(-1)!.name };
}

function cases(runId: string, task: string): Case[] {
  const cli = (name: string, args: string[]): Case => ({ name, argv: (main) => [main, ...args], cli: true });
  return [
    { name: "node -e 0 (peer)", argv: () => ["-e", "0"], cli: false },
    cli("--version", ["--version"]),
    cli("--help", ["--help"]),
    cli("runs", ["runs"]),
    cli("show <run>", ["show", runId]),
    cli("explain <run> <task>", ["explain", runId, task]),
    cli("audit", ["audit"]),
    cli("gate status", ["gate", "status"]),
  ];
}

/** `npm run bench -- startup`: what each read command pays before and while it reads a small ledger, beside bare Node. */
export async function startupBench(): Promise<void> {
  if (!existsSync(CLI)) throw new Error("dist/cli/main.js is missing: npm run build");
  if (spawnSync(GNU_TIME, ["--version"], { stdio: "ignore" }).error) throw new Error("GNU time is missing: apt-get install -y time");
  const dir = mkdtempSync(join(tmpdir(), "runledger-startup-bench-"));
  try {
    const { cwd, runId, task } = makeWorkspace(dir);
    const all = cases(runId, task);
    const builds = BASELINE ? [CLI, BASELINE] : [CLI];
    const key = (c: Case, main: string) => `${c.name}|${c.cli ? main : ""}`;
    const samples = new Map<string, Sample[]>();
    const runs = () => all.flatMap((c) => (c.cli ? builds : [CLI]).map((main) => ({ c, main })));
    for (const { c, main } of runs()) sample(c.argv(main), cwd); // warm-up: page cache, compile cache
    // Round-robin, so that the machine's load falls on every case alike.
    for (let i = 0; i < RUNS; i++) {
      for (const { c, main } of runs()) {
        const list = samples.get(key(c, main)) ?? [];
        list.push(sample(c.argv(main), cwd));
        samples.set(key(c, main), list);
      }
    }
    const register = hookFiles(dir);
    const peer = median(samples.get(key(all[0]!, CLI))!.map((s) => s.seconds));
    const columns = (c: Case, main: string) => {
      const list = samples.get(key(c, main))!;
      const wall = median(list.map((s) => s.seconds));
      const rss = median(list.map((s) => s.rssKiB)) / 1024;
      return [
        `${(wall * 1000).toFixed(0)} ms`,
        `${(wall / peer).toFixed(2)}x`,
        `${rss.toFixed(0)} MiB`,
        String(modulesLoaded(c.argv(main), cwd, register, dir)),
      ];
    };
    const header = ["command", "wall", "vs node", "max RSS", "modules"];
    const rows = all.map((c) => [c.name, ...columns(c, CLI), ...(BASELINE ? (c.cli ? columns(c, BASELINE) : ["", "", "", ""]) : [])]);
    console.log(
      `\nCLI start-up, ${RUNS} runs each, medians (Node ${process.version}; ${BASELINE ? `right: ${BASELINE}` : "set BENCH_STARTUP_BASELINE for a side-by-side"})`,
    );
    console.log(table([BASELINE ? [...header, "before", "vs node", "max RSS", "modules"] : header, ...rows]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
