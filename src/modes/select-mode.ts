import { RunledgerError } from "../core/errors.js";
import { classifyTitle } from "./classify-title.js";
import type { ModeRegistry } from "./mode-registry.js";
import type { WorkMode } from "./work-mode.js";

/** How a run's one work mode was chosen, as run.requested records it. */
export interface ModeSelection {
  /** The mode the title classified to, when a title was given and matched. */
  readonly classified: string | null;
  /** True when --mode chose a mode other than the one the title (or else the pipeline) gives. */
  readonly override: boolean;
  readonly source: "flag" | "title" | "pipeline";
  readonly title: string | null;
}

/**
 * Selects exactly one work mode for a run: `--mode` when given (an override when it differs from
 * what the title, or else the pipeline, would give), else the mode the title classifies to, else
 * the pipeline's `mode`. The mode must be in the registry (ERR_MODE_UNKNOWN).
 */
export function selectMode(
  input: { mode?: string | undefined; title?: string | undefined; pipelineMode: string },
  registry: ModeRegistry,
): { mode: WorkMode; selection: ModeSelection } {
  const title = input.title?.trim() || null;
  let classified: string | null = null;
  if (title !== null) {
    try {
      classified = classifyTitle(title, registry).mode;
    } catch (error) {
      // Without --mode the title must classify; with it, the flag decides and the miss is recorded as null.
      if (input.mode === undefined || !(error instanceof RunledgerError)) throw error;
    }
  }
  if (input.mode !== undefined) {
    const otherwise = classified ?? input.pipelineMode;
    return { mode: registry.get(input.mode), selection: { classified, override: input.mode !== otherwise, source: "flag", title } };
  }
  if (classified !== null) return { mode: registry.get(classified), selection: { classified, override: false, source: "title", title } };
  return { mode: registry.get(input.pipelineMode), selection: { classified: null, override: false, source: "pipeline", title: null } };
}
