import { spawn, spawnSync } from "node:child_process";
import { resolve } from "node:path";

export const CLI = resolve(import.meta.dirname, "../../dist/cli/main.js");

/**
 * The environment a CLI run gets: this process's, as actor human:tester, and not in CI unless a
 * test says so (`env: { CI: "true" }`): CI=true refuses real runs with effects or secrets, and the
 * tests must behave the same on a laptop and under .ci/run.
 */
function cliEnv(env: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv {
  return { ...process.env, RUNLEDGER_ACTOR: "human:tester", CI: "", ...env };
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI as a real subprocess; standard input is `input` when given, else none. */
export function runledger(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string }): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: cliEnv(options.env),
    encoding: "utf8",
    ...(options.input === undefined ? { stdio: ["ignore", "pipe", "pipe"] as const } : { input: options.input, stdio: ["pipe", "pipe", "pipe"] as const }),
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Runs the built CLI as a real subprocess without blocking this process's event loop, so a server
 * the test runs (an HTTP endpoint an effect calls) can answer while the CLI works.
 */
export function runledgerAsync(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<CliResult> {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: cliEnv(options.env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
