import { realpath, stat } from "node:fs/promises";
import { basename } from "node:path";
import { RunledgerError } from "../core/errors.js";
import type { NewEvent } from "../ledger/ledger-event.js";
import type { DebugPacketView } from "../ledger/projections/projection-state.js";
import { assertOpen } from "./add-hypothesis.js";
import type { DebugDeps } from "./debug-deps.js";

/** One experiment as offered: the change made, its result, and evidence files (absolute paths). */
export interface ExperimentInput {
  readonly change: string;
  readonly result: string;
  readonly evidence: readonly string[];
}

/**
 * Records an experiment on an open packet (seed 000: experiments must have evidence). Each
 * evidence file is stored in the artifact store (artifact.stored, named by its file name) and
 * the experiment refers to the digests; all in one append. At least one file; each must exist.
 */
export async function addExperiment(
  deps: DebugDeps,
  packet: DebugPacketView,
  input: ExperimentInput,
): Promise<{ digest: string; name: string; size_bytes: number }[]> {
  assertOpen(packet);
  const change = input.change.trim();
  const result = input.result.trim();
  if (change === "" || result === "") throw new RunledgerError("ERR_USAGE", { detail: "an experiment needs --change and --result, each a non-empty text" });
  if (input.evidence.length === 0)
    throw new RunledgerError("ERR_USAGE", { detail: "an experiment needs evidence: --evidence FILE (logs, diffs, notes), at least one" });
  for (const path of input.evidence) {
    if (!(await stat(path).catch(() => undefined))?.isFile()) throw new RunledgerError("ERR_USAGE", { detail: `evidence ${path} is not a readable file` });
  }
  const events: NewEvent[] = [];
  const evidence: { digest: string; name: string; size_bytes: number }[] = [];
  for (const path of input.evidence) {
    // The store never follows a link; a file the actor names through one is the file they mean.
    const stored = await deps.artifacts.putFile(await realpath(path));
    const name = basename(path);
    evidence.push({ digest: stored.digest, name, size_bytes: stored.size_bytes });
    events.push({ type: "artifact.stored", project: packet.project, actor: deps.actor, data: { digest: stored.digest, name, size_bytes: stored.size_bytes } });
  }
  events.push({ type: "debug.experimented", project: packet.project, actor: deps.actor, data: { change, debug_packet_id: packet.id, evidence, result } });
  await deps.ledger.append(events);
  return evidence;
}
