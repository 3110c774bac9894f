// The watermark state the projection folds events into; the rules for moving one live in governance/watermarks.ts.

/** The version of the definition that produced a watermark's value (seed 001 §4.5: the proxy set version). */
export interface DefinitionVersion {
  readonly name: string;
  readonly version: string;
}

/** How a watermark last moved: a passed gate of a run, or an audited override. */
export type WatermarkMove =
  | { readonly kind: "gate"; readonly gate: string; readonly run_id: string }
  | { readonly kind: "override"; readonly admin_event_id: string; readonly justification: string };

/** A named, monotonic pointer (`us.ctt`, `us.te`) as the ledger leaves it. */
export interface WatermarkView {
  readonly name: string;
  value: string;
  previous: string | null;
  /** The definition the value was produced under; null when none was declared. */
  definition: DefinitionVersion | null;
  /** False once the definition changed: the value stands in history but not for forward use. */
  valid: boolean;
  invalidated: { reason: string; at_utc: string; by_version: string } | null;
  updated_at_utc: string;
  updated_by: string;
  moved_by: WatermarkMove;
  readonly history: { value: string; at_utc: string; moved_by: WatermarkMove; definition: DefinitionVersion | null }[];
}

/** Moves (or creates) a watermark; the caller has already decided the move is allowed. */
export function moveWatermark(
  marks: Record<string, WatermarkView>,
  move: { name: string; value: string; at_utc: string; by: string; moved_by: WatermarkMove; definition: DefinitionVersion | null },
): void {
  const current = marks[move.name];
  const entry = { value: move.value, at_utc: move.at_utc, moved_by: move.moved_by, definition: move.definition };
  if (!current) {
    marks[move.name] = {
      name: move.name,
      value: move.value,
      previous: null,
      definition: move.definition,
      valid: true,
      invalidated: null,
      updated_at_utc: move.at_utc,
      updated_by: move.by,
      moved_by: move.moved_by,
      history: [entry],
    };
    return;
  }
  current.previous = current.value;
  current.value = move.value;
  current.definition = move.definition ?? current.definition;
  current.valid = true;
  current.invalidated = null;
  current.updated_at_utc = move.at_utc;
  current.updated_by = move.by;
  current.moved_by = move.moved_by;
  current.history.push(entry);
}
