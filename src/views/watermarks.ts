import type { SyncWarning, WatermarkView } from "../contracts/watermark.js";
import { RunledgerError } from "../core/errors.js";
import { brokenSyncRules, type SyncRule } from "../governance/watermarks.js";
import type { ProjectionState } from "../ledger/projections/projection-state.js";
import type { CommandResult } from "./command-result.js";

/** Every watermark by name, with the sync rules between them that are broken. */
export function watermarksView(state: ProjectionState, syncRules: readonly SyncRule[]): CommandResult<"watermark list"> {
  const watermarks = Object.values(state.watermarks).sort((a, b) => (a.name < b.name ? -1 : 1));
  const sync_warnings = brokenSyncRules(state.watermarks, syncRules).map((b): SyncWarning => ({
    between: [b.rule.between[0], b.rule.between[1]],
    gap_ms: b.gapMs,
    message: b.message,
  }));
  return { watermarks, sync_warnings };
}

/** One watermark by name, with its history; ERR_WATERMARK_NOT_FOUND when no gate or override ever moved it. */
export function watermarkView(state: ProjectionState, name: string): WatermarkView {
  const mark = state.watermarks[name];
  if (!mark) throw new RunledgerError("ERR_WATERMARK_NOT_FOUND", { detail: name });
  return mark;
}
