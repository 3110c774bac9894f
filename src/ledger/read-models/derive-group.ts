import { RunledgerError } from "../../core/errors.js";
import type { FoldedEvent, FoldedEventOf } from "../ledger-event.js";
import { applyEvent } from "../projections/apply-event.js";
import type { ProjectionState } from "../projections/projection-state.js";
import { PartialState } from "./partial-state.js";
import { emptyWrites, type DocCollection, type DocSource, type ReadModelWrites } from "./read-model-writes.js";

export type Derivation = ReadModelWrites | { readonly missing: readonly { collection: DocCollection; key: string }[] };

/**
 * The read models' writes for `events` (consecutive, in ledger order) on top of the documents in
 * `source`: the projection's own reducers fold them into a PartialState, and what changed is written.
 * Artifacts are the exception: their names and attempts grow with every use of a digest, so each
 * use is a reference row instead of a change to one growing document. When the source lacks documents
 * (MISSING), returns them instead: fetch them and derive again.
 */
export function deriveGroup(events: readonly FoldedEvent[], source: DocSource): Derivation {
  const first = events[0];
  const writes = emptyWrites(events.at(-1)?.seq ?? 0);
  if (!first) return writes;
  const partial = new PartialState(source, first.seq - 1);
  const state = partial.state;
  for (const event of events) {
    if (event.type === "artifact.stored") storeArtifact(event, writes);
    else applyEvent(state, event);
    state.seq = event.seq;
    collectItems(state, event, writes);
  }
  if (partial.missing.length > 0) return { missing: partial.missing };
  partial.collect(writes);
  return writes;
}

/** The writes of a derivation over a source that holds every document (SQLite's, one in memory): it cannot lack one. */
export function completeWrites(derivation: Derivation): ReadModelWrites {
  if ("missing" in derivation) throw new RunledgerError("ERR_INTERNAL", { detail: "read models: a derivation lacked documents its source holds" });
  return derivation;
}

/** The models reflect more events than the chain holds: they were derived from another chain. */
export function modelsAhead(models: number, head: number): RunledgerError {
  return new RunledgerError("ERR_READ_MODEL_DRIFT", {
    detail: `the read models reflect event ${models} but the chain's head is event ${head}: they were not derived from this chain`,
    context: { models_seq: models, head_seq: head },
  });
}

/** Moves the entries an event appended to the state's lists into `items`, tagged with the event's seq. */
function collectItems(state: ProjectionState, event: FoldedEvent, writes: ReadModelWrites): void {
  state.adminEvents.forEach((entry, position) => {
    const run = entry.targets.find((t) => t.kind === "run")?.id ?? null;
    writes.items.push("admin", event.seq, position, run, entry.action_type, JSON.stringify(entry));
  });
  state.stopRules.forEach((entry, position) => writes.items.push("stop_rules", event.seq, position, entry.run_id, entry.rule, JSON.stringify(entry)));
  state.violations.forEach((entry, position) => writes.items.push("violations", event.seq, position, entry.run_id, entry.kind, JSON.stringify(entry)));
  state.adminEvents.length = 0;
  state.stopRules.length = 0;
  state.violations.length = 0;
}

/**
 * One reference row per artifact stored under an attempt and a name (the first kept): the
 * projection's artifact (size and first seq of its first sighting, names and attempts in order of
 * first sighting) is read back from them (ReadModels.artifact).
 */
function storeArtifact(event: FoldedEventOf<"artifact.stored">, writes: ReadModelWrites): void {
  const d = event.data;
  writes.refs.push(d.digest, d.attempt_id ?? "", d.name ?? "", d.size_bytes, event.seq);
}
