import { RunledgerError } from "../core/errors.js";
import type { ModeRegistry } from "./mode-registry.js";

/** How a title was classified: the chosen mode, the keywords that matched per mode, and whether a tie was broken by table order. */
export interface Classification {
  readonly title: string;
  readonly mode: string;
  readonly matches: Readonly<Record<string, readonly string[]>>;
  readonly tie: boolean;
}

/**
 * Seed 000's fast mode classifier: each mode scores one point per keyword found in the title
 * (case-insensitive, as whole words; a phrase such as "github pages" as consecutive words); the
 * highest score wins, a tie goes to the mode listed first. A title that matches nothing fails
 * with ERR_MODE_UNCLASSIFIED: choose the mode with --mode instead.
 */
export function classifyTitle(title: string, registry: ModeRegistry): Classification {
  const words = ` ${title
    .toLowerCase()
    .replace(/[^\p{L}\p{N}-]+/gu, " ")
    .trim()} `;
  const matches: Record<string, string[]> = {};
  let best: { mode: string; score: number } | undefined;
  let tie = false;
  for (const mode of registry.modes) {
    const found = mode.keywords.filter((keyword) => words.includes(` ${keyword.toLowerCase()} `));
    if (found.length === 0) continue;
    matches[mode.name] = found;
    if (best === undefined || found.length > best.score) {
      best = { mode: mode.name, score: found.length };
      tie = false;
    } else if (found.length === best.score) tie = true;
  }
  if (best === undefined) {
    throw new RunledgerError("ERR_MODE_UNCLASSIFIED", {
      detail: `${JSON.stringify(title)} matches no keyword of ${registry.modes.map((m) => m.name).join(", ")}; choose one with --mode`,
    });
  }
  return { title, mode: best.mode, matches, tie };
}
