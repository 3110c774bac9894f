import type { ClassifyOutput, ModesOutput } from "../contracts/work-mode.js";
import type { Classification } from "../modes/classify-title.js";
import type { ModeRegistry } from "../modes/mode-registry.js";

/** The work modes as `modes` lists them, in table order, every default filled in. */
export function modesView(registry: Pick<ModeRegistry, "modes">): ModesOutput["modes"] {
  return [...registry.modes];
}

/** A title's classification as `classify` prints it: the mode, each mode's matched keywords, and whether table order broke a tie. */
export function classificationView(decision: Classification): ClassifyOutput["classification"] {
  const matches = Object.fromEntries(Object.entries(decision.matches).map(([mode, keywords]) => [mode, [...keywords]]));
  return { title: decision.title, mode: decision.mode, matches, tie: decision.tie };
}
