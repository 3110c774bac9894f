import { brokenSyncRules, type SyncRule } from "../governance/watermarks.js";
import type { ProjectionState } from "../ledger/projections/projection-state.js";

/** Every watermark by name, with the sync rules between them that are broken. */
export function watermarksView(state: ProjectionState, syncRules: readonly SyncRule[]) {
  const watermarks = Object.values(state.watermarks).sort((a, b) => (a.name < b.name ? -1 : 1));
  const sync_warnings = brokenSyncRules(state.watermarks, syncRules).map((b) => ({ between: b.rule.between, gap_ms: b.gapMs, message: b.message }));
  return { watermarks, sync_warnings };
}
