import { RunledgerError } from "../core/errors.js";
import { DEFAULT_MODES } from "./default-modes.js";
import type { EvidenceItem, WorkMode } from "./work-mode.js";

/** The work modes a workspace knows, in table order (which also breaks classifier ties). */
export class ModeRegistry {
  readonly modes: readonly WorkMode[];

  constructor(modes: readonly WorkMode[] = DEFAULT_MODES) {
    this.modes = modes;
  }

  find(name: string): WorkMode | undefined {
    return this.modes.find((mode) => mode.name === name);
  }

  /** The mode named `name`; ERR_MODE_UNKNOWN naming the known ones otherwise. */
  get(name: string): WorkMode {
    const mode = this.find(name);
    if (!mode) throw new RunledgerError("ERR_MODE_UNKNOWN", { detail: `${name}; known modes: ${this.modes.map((m) => m.name).join(", ")}` });
    return mode;
  }

  /** The evidence item with this id in any mode, for checking what operators declare. */
  evidenceItem(id: string): EvidenceItem | undefined {
    for (const mode of this.modes) {
      const item = mode.evidence.find((e) => e.id === id);
      if (item) return item;
    }
    return undefined;
  }
}

/** The default modes with `configured` merged in: a configured mode replaces the default of the same name, a new name is added at the end. */
export function modeRegistryWith(configured: readonly WorkMode[] = []): ModeRegistry {
  const byName = new Map(DEFAULT_MODES.map((mode) => [mode.name, mode]));
  for (const mode of configured) byName.set(mode.name, mode);
  return new ModeRegistry([...byName.values()]);
}
