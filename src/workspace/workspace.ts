import { existsSync, readFileSync } from "node:fs";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { openFsArtifactStore } from "../artifacts/fs/fs-artifact-store.js";
import type { ArtifactStore } from "../artifacts/artifact-store.js";
import type { Actor } from "../contracts/common.js";
import { systemClock, type Clock } from "../core/clock.js";
import { RunledgerError } from "../core/errors.js";
import { Ledger } from "../ledger/ledger.js";
import type { LedgerStore } from "../ledger/ledger-store.js";
import type { PostgresLedgerStore } from "../ledger/postgres/postgres-ledger-store.js";
import { SqliteLedgerStore } from "../ledger/sqlite/sqlite-ledger-store.js";
import type { EngineDeps } from "../engine/attempt-context.js";
import { modeRegistryWith, type ModeRegistry } from "../modes/mode-registry.js";
import { EXAMPLE_PIPELINE } from "./example-pipeline.js";
import { lockRun } from "./run-lock.js";
import { SecretMask } from "../secrets/secret-mask.js";
import { workspaceSecretStore } from "../secrets/secret-store.js";
import { STATE_DIR } from "../core/state-dir.js";
import { CONFIG_FILE, WorkspaceConfigSchema, parseWorkspaceConfig, type WorkspaceConfig } from "./workspace-config.js";

/** An open workspace: its config and the backends it names. Close it when done. */
export interface Workspace {
  readonly root: string;
  readonly config: WorkspaceConfig;
  readonly ledger: Ledger;
  readonly artifacts: ArtifactStore;
  /** Seed 000's work modes with the config's merged in. */
  readonly modes: ModeRegistry;
  /** Masks every stored secret's value in all the ledger records and the CLI prints. */
  readonly mask: SecretMask;
  close(): Promise<void>;
}

export interface OpenOptions {
  readonly clock?: Clock;
  readonly env?: NodeJS.ProcessEnv;
  /** Told how far a rebuild of the read models on open has come (event seq, head seq): a front door's progress line. */
  readonly onReadModelRebuild?: ((seq: number, head: number) => void) | undefined;
}

/** The nearest directory at or above `start` that holds runledger.json. */
export function findWorkspaceRoot(start: string): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, CONFIG_FILE))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new RunledgerError("ERR_WORKSPACE_NOT_FOUND", { detail: `no ${CONFIG_FILE} in ${resolve(start)} or above` });
    dir = parent;
  }
}

/** Opens the workspace at `root`: reads its config, then the ledger and artifact backends it names. */
export async function openWorkspace(root: string, options: OpenOptions = {}): Promise<Workspace> {
  const configPath = join(root, CONFIG_FILE);
  if (!existsSync(configPath)) throw new RunledgerError("ERR_WORKSPACE_NOT_FOUND", { detail: `no ${CONFIG_FILE} in ${root}` });
  const config = parseWorkspaceConfig(readFileSync(configPath, "utf8"), configPath);
  const store = await openLedgerStore(root, config, options.env ?? process.env);
  const artifacts = await openFsArtifactStore(resolve(root, config.artifacts.path)).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  const mask = new SecretMask();
  mask.learn(await workspaceSecretStore(root).values());
  const ledger = new Ledger(store, { clock: options.clock ?? systemClock, redactor: mask });
  await ledger.openReadModels(options.onReadModelRebuild).catch(async (error: unknown) => {
    await ledger.close();
    await artifacts.close();
    throw error;
  });
  return {
    root,
    config,
    ledger,
    artifacts,
    modes: modeRegistryWith(config.modes),
    mask,
    async close() {
      await ledger.close();
      await artifacts.close();
    },
  };
}

async function openLedgerStore(root: string, config: WorkspaceConfig, env: NodeJS.ProcessEnv): Promise<LedgerStore> {
  const ledger = config.ledger;
  switch (ledger.backend) {
    case "sqlite":
      return new SqliteLedgerStore(resolve(root, ledger.path), { durability: ledger.durability, readModels: true });
    case "postgres": {
      const connectionString = env[ledger.connectionStringEnv];
      if (!connectionString) {
        throw new RunledgerError("ERR_CONFIG", { detail: `ledger.connectionStringEnv: environment variable ${ledger.connectionStringEnv} is not set` });
      }
      const { PostgresLedgerStore } = await loadPostgresBackend();
      return PostgresLedgerStore.open({ connectionString, schema: ledger.schema, durability: ledger.durability, readModels: true });
    }
  }
}

/**
 * The PostgreSQL backend, loaded only here: `pg` is an optional peer dependency, and loading it
 * costs every command's start although most workspaces are SQLite.
 */
async function loadPostgresBackend(): Promise<{ readonly PostgresLedgerStore: typeof PostgresLedgerStore }> {
  try {
    return await import("../ledger/postgres/postgres-ledger-store.js");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ERR_MODULE_NOT_FOUND" || !/'pg'/.test((error as Error).message)) throw error;
    throw new RunledgerError("ERR_CONFIG", {
      detail: "ledger.backend is postgres, but the pg package is not installed: run `npm install pg@^8.23.1` beside runledger",
      cause: error,
    });
  }
}

/**
 * Creates a workspace in `dir`: runledger.json, the state folder with its ledger and artifact
 * store, and an example pipeline; records `workspace.initialized`. Refuses an existing workspace.
 */
export async function initWorkspace(dir: string, actor: Actor, options: OpenOptions = {}): Promise<Workspace> {
  const root = resolve(dir);
  if (existsSync(join(root, CONFIG_FILE))) throw new RunledgerError("ERR_WORKSPACE_EXISTS", { detail: join(root, CONFIG_FILE) });
  const config = WorkspaceConfigSchema.parse({ name: basename(root) || "workspace" });
  // The state folder holds the ledger, the store, secrets and attempts' logs: its owner's only.
  await mkdir(join(root, STATE_DIR), { recursive: true, mode: 0o700 });
  await chmod(join(root, STATE_DIR), 0o700);
  await mkdir(join(root, "pipelines"), { recursive: true });
  await writeFile(join(root, CONFIG_FILE), `${JSON.stringify(config, null, 2)}\n`, { flag: "wx" });
  await writeFile(join(root, STATE_DIR, ".gitignore"), "*\n");
  const examplePath = join(root, "pipelines", "hello.yaml");
  if (!existsSync(examplePath)) await writeFile(examplePath, EXAMPLE_PIPELINE);
  const workspace = await openWorkspace(root, options);
  await workspace.ledger.append([{ type: "workspace.initialized", project: config.project, actor, data: { name: config.name, format_version: 1 } }]);
  return workspace;
}

/**
 * The engine's ports and settings for this workspace: its ledger and store, `.runledger/work`, run
 * locks, its secret store, its output limits, and what the commands' sandbox hides.
 */
export function engineDeps(workspace: Workspace, actor: Actor): EngineDeps {
  return {
    ledger: workspace.ledger,
    artifacts: workspace.artifacts,
    actor,
    workRoot: workRootOf(workspace),
    claimRun: (runId) => lockRun(join(workspace.root, STATE_DIR, "locks"), runId),
    secrets: workspaceSecretStore(workspace.root),
    ...(workspace.config.limits && { limits: workspace.config.limits }),
    sandbox: { hide: hiddenFromCommands(workspace) },
  };
}

/**
 * The workspace's state, wherever runledger.json puts it: `.runledger/` (ledger, store, secrets,
 * locks, other attempts), the artifact store's directory, and the SQLite ledger's directory, or,
 * when that directory holds the workspace itself, the ledger's files alone.
 */
export function hiddenFromCommands(workspace: Pick<Workspace, "root" | "config">): string[] {
  const root = resolve(workspace.root);
  const hide = [join(root, STATE_DIR), resolve(root, workspace.config.artifacts.path)];
  const ledger = workspace.config.ledger;
  if (ledger.backend === "sqlite") {
    const file = resolve(root, ledger.path);
    const dir = dirname(file);
    const holdsWorkspace = `${root}/`.startsWith(`${dir === "/" ? "" : dir}/`);
    hide.push(...(holdsWorkspace ? ["", "-wal", "-shm", "-journal"].map((suffix) => `${file}${suffix}`) : [dir]));
  }
  return [...new Set(hide)];
}

/** Where the workspace's attempts get their working directories: `.runledger/work`. */
export function workRootOf(workspace: Pick<Workspace, "root">): string {
  return join(workspace.root, STATE_DIR, "work");
}
