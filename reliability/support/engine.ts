import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { Projector } from "../../src/ledger/projections/projector.js";
import type { ProjectionState } from "../../src/ledger/projections/projection-state.js";
import { openWorkspace } from "../../src/workspace/workspace.js";
import { CLI, runledger } from "../../test/support/cli.js";

export { CLI, runledger };

/** Creates a workspace in `dir/name` through the CLI and returns its root. */
export function initWorkspace(dir: string, name: string): string {
  const root = join(dir, name);
  const init = runledger(["init", root], { cwd: dir });
  if (init.code !== 0) throw new Error(`init failed: ${init.stderr}`);
  return root;
}

/** Writes a pipeline file into the workspace root. */
export function writePipeline(root: string, file: string, yaml: string): string {
  writeFileSync(join(root, file), yaml);
  return file;
}

/** Starts the built CLI in the background (the engine under test), stdio ignored. */
export function startEngine(root: string, args: readonly string[]): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], { cwd: root, stdio: "ignore", env: { ...process.env, RUNLEDGER_ACTOR: "human:tester" } });
}

/** Resolves with the exit code (or signal) once the child has exited. */
export function exited(child: ChildProcess): Promise<number | NodeJS.Signals> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  if (child.signalCode !== null) return Promise.resolve(child.signalCode);
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? (signal as NodeJS.Signals))));
}

/** A read-only view of the workspace's SQLite ledger head, for watching an engine from outside. */
export class HeadWatcher {
  private db: Database.Database | undefined;
  constructor(private readonly path: string) {}

  seq(): number {
    this.db ??= new Database(this.path, { readonly: true, fileMustExist: true });
    return (this.db.prepare("SELECT seq FROM ledger_head WHERE id = 1").get() as { seq: number }).seq;
  }

  close(): void {
    this.db?.close();
  }
}

/** The workspace's projected state, read through a fresh workspace handle. */
export async function projectedState(root: string): Promise<ProjectionState> {
  const ws = await openWorkspace(root);
  try {
    return await new Projector(ws.ledger).catchUp();
  } finally {
    await ws.close();
  }
}

/** The bytes of a stored blob, read and re-hashed by the store. */
export async function blobBytes(root: string, digest: string): Promise<Buffer> {
  const ws = await openWorkspace(root);
  try {
    return Buffer.from(await ws.artifacts.get(digest));
  } finally {
    await ws.close();
  }
}

/** Live (non-zombie) processes whose environment carries `NAME=value` (Linux /proc). */
export function processesWithEnv(name: string, value: string): number[] {
  const wanted = `${name}=${value}`;
  const found: number[] = [];
  for (const pid of readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))) {
    try {
      if (!readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").includes(wanted)) continue;
      if (/\) [ZX] /.test(readFileSync(`/proc/${pid}/stat`, "utf8"))) continue;
      found.push(Number(pid));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
