import type { SyncRule } from "../../governance/watermarks.js";
import type { Workspace } from "../../workspace/workspace.js";

/** The workspace's sync rules between watermarks. */
export function syncRules(workspace: Workspace): SyncRule[] {
  return (workspace.config.watermarks?.sync ?? []).map((r) => ({ between: r.between, maxGapMs: r.maxGap }));
}
