import type { RunView } from "../ledger/projections/projection-state.js";
import { shellQuote } from "./shell-quote.js";

/**
 * The `runledger run …` command line that requests the run again as it was requested: its
 * pipeline file, params, mode selection, run mode and as-of time. Null for a run that was not
 * started from a pipeline file (one started from code).
 */
export function runCommandLine(run: RunView): string | null {
  if (run.source === null) return null;
  const words = ["runledger", "run", run.source];
  for (const [key, value] of Object.entries(run.params)) words.push("--param", `${key}=${value}`);
  if (run.mode_selection?.source === "flag") words.push("--mode", run.work_mode);
  else if (run.mode_selection?.source === "title" && run.mode_selection.title !== null) words.push("--title", run.mode_selection.title);
  words.push("--run-mode", run.run_mode, "--as-of", run.as_of);
  return words.map(shellQuote).join(" ");
}
