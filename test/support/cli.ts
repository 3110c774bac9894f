import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

export const CLI = resolve(import.meta.dirname, "../../dist/cli/main.js");

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI as a real subprocess; standard input is `input` when given, else none. */
export function runledger(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string }): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: { ...process.env, RUNLEDGER_ACTOR: "human:tester", ...options.env },
    encoding: "utf8",
    ...(options.input === undefined ? { stdio: ["ignore", "pipe", "pipe"] as const } : { input: options.input, stdio: ["pipe", "pipe", "pipe"] as const }),
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
