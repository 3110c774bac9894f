import type { MinimalRepro } from "../contracts/debug-packet.js";

/** Whether a repro is one (seed 000): at least one command, and expected and actual stated. */
export function hasMinimalRepro(repro: MinimalRepro): boolean {
  return repro.commands.length > 0 && repro.expected.trim() !== "" && repro.actual.trim() !== "";
}
