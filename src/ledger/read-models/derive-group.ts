import type { FoldedEvent, FoldedEventOf } from "../ledger-event.js";
import { applyEvent } from "../projections/apply-event.js";
import type { ProjectionState } from "../projections/projection-state.js";
import { PartialState } from "./partial-state.js";
import { emptyWrites, type DocCollection, type DocSource, type ReadModelWrites } from "./read-model-writes.js";

export type Derivation = ReadModelWrites | { readonly missing: readonly { collection: DocCollection; key: string }[] };

/**
 * The read models' writes for `events` (consecutive, in ledger order) on top of the documents in
 * `source`: the projection's own reducers fold them into a PartialState, and what changed is written.
 * Artifacts are the exception: their names and attempts grow with every use of a digest, so they
 * are written as references instead of growing one document. When the source lacks documents
 * (MISSING), returns them instead: fetch them and derive again.
 */
export function deriveGroup(events: readonly FoldedEvent[], source: DocSource): Derivation {
  const first = events[0];
  const writes = emptyWrites(events.at(-1)?.seq ?? 0);
  if (!first) return writes;
  const partial = new PartialState(source, first.seq - 1);
  const state = partial.state;
  for (const event of events) {
    if (event.type === "artifact.stored") storeArtifact(state, event, writes);
    else applyEvent(state, event);
    state.seq = event.seq;
    collectItems(state, event, writes);
  }
  if (partial.missing.length > 0) return { missing: partial.missing };
  partial.collect(writes);
  return writes;
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

/** An artifact's first sighting makes its document; every name and attempt that stores it, a reference. */
function storeArtifact(state: ProjectionState, event: FoldedEventOf<"artifact.stored">, writes: ReadModelWrites): void {
  const d = event.data;
  state.artifacts[d.digest] ??= { digest: d.digest, size_bytes: d.size_bytes, first_seq: event.seq, names: [], attempts: [] };
  if (d.name !== undefined) writes.refs.push(d.digest, "name", d.name, event.seq);
  if (d.attempt_id !== undefined) writes.refs.push(d.digest, "attempt", d.attempt_id, event.seq);
}
