import { lstatSync } from "node:fs";
import { join, resolve } from "node:path";
import { RunledgerError } from "../core/errors.js";
import { STATE_DIR } from "../core/state-dir.js";
import type { WorkspaceConfig } from "./workspace-config.js";

/** A path of the workspace's state that other users can reach, with its mode. */
export interface OpenPath {
  readonly path: string;
  readonly mode: string;
}

/**
 * The paths holding the workspace's state (the state folder, the SQLite ledger and its -wal and
 * -shm files, the artifact store, the secrets) that grant anything to group or others. Each is
 * checked itself, not through its parents: a ledger or store configured outside `.runledger/` has
 * no private parent to hide it.
 */
export function openStatePaths(root: string, config: WorkspaceConfig): OpenPath[] {
  const paths = [join(root, STATE_DIR), join(root, STATE_DIR, "secrets"), resolve(root, config.artifacts.path)];
  if (config.ledger.backend === "sqlite") {
    const ledger = resolve(root, config.ledger.path);
    paths.push(ledger, `${ledger}-wal`, `${ledger}-shm`);
  }
  const open: OpenPath[] = [];
  for (const path of paths) {
    const info = lstatSync(path, { throwIfNoEntry: false });
    if (info && (info.mode & 0o077) !== 0) open.push({ path, mode: (info.mode & 0o777).toString(8).padStart(4, "0") });
  }
  return open;
}

/** Fails with ERR_WORKSPACE_PERMISSIONS naming every state path that other users can reach. */
export function assertPrivateState(root: string, config: WorkspaceConfig): void {
  const open = openStatePaths(root, config);
  const first = open[0];
  if (!first) return;
  const list = open.map((p) => `${p.path} (${p.mode})`).join(", ");
  throw new RunledgerError("ERR_WORKSPACE_PERMISSIONS", {
    detail: `${list}; run chmod -R go-rwx on ${open.length === 1 ? "it" : "them"}`,
    context: { paths: open },
  });
}
