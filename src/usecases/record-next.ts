import { RunledgerError } from "../core/errors.js";
import type { ReadDeps, RecordDeps } from "./deps.js";
import { findRunView } from "../views/find-run.js";

/** A next pointer is one non-empty line; ERR_USAGE otherwise. */
export function nextPointer(line: string): string {
  const next = line.trim();
  if (next === "" || next.includes("\n")) throw new RunledgerError("ERR_USAGE", { detail: "the next pointer is one non-empty line" });
  return next;
}

/** Records a run's next pointer (seed 000: every run ends with one) as next.recorded; resolves to the run's id. */
export async function recordNext(deps: Omit<RecordDeps, "project"> & ReadDeps, input: { readonly run: string; readonly next: string }): Promise<string> {
  const next = nextPointer(input.next);
  const run = await findRunView(await deps.readModels(), input.run);
  await deps.ledger.append([{ type: "next.recorded", project: run.project, actor: deps.actor, data: { next, run_id: run.id } }]);
  return run.id;
}
