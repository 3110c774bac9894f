import { RunledgerError } from "../core/errors.js";

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

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/;
const NUMBER = /^-?\d+(\.\d+)?$/;

/** Orders two watermark values: ISO dates by time, numbers numerically, anything else as text. */
export function compareValues(a: string, b: string): number {
  if (ISO_DATE.test(a) && ISO_DATE.test(b)) return Date.parse(a) - Date.parse(b);
  if (NUMBER.test(a) && NUMBER.test(b)) return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Throws ERR_WATERMARK_REGRESSION unless `to` is later than the watermark's value (or it has none). */
export function assertForward(name: string, current: WatermarkView | undefined, to: string): void {
  if (current !== undefined && compareValues(to, current.value) <= 0) {
    throw new RunledgerError("ERR_WATERMARK_REGRESSION", { detail: `${name} is at ${current.value}; ${to} is not later` });
  }
}

/** Moves (or creates) a watermark; the caller has already decided the move is allowed. */
export function moveWatermark(marks: Record<string, WatermarkView>, move: { name: string; value: string; at_utc: string; by: string; moved_by: WatermarkMove; definition: DefinitionVersion | null }): void {
  const current = marks[move.name];
  const entry = { value: move.value, at_utc: move.at_utc, moved_by: move.moved_by, definition: move.definition };
  if (!current) {
    marks[move.name] = { name: move.name, value: move.value, previous: null, definition: move.definition, valid: true, invalidated: null, updated_at_utc: move.at_utc, updated_by: move.by, moved_by: move.moved_by, history: [entry] };
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

/** A sync rule between two watermarks (seed 001 §4.3: `abs(TE_US - TE_INDIA) ≤ 1 day`). */
export interface SyncRule {
  readonly between: readonly [string, string];
  readonly maxGapMs: number;
}

/** Every sync rule the watermarks break now, with the gap; a rule over a missing or non-date watermark is skipped. */
export function brokenSyncRules(marks: Readonly<Record<string, WatermarkView>>, rules: readonly SyncRule[]): { rule: SyncRule; gapMs: number; message: string }[] {
  const broken: { rule: SyncRule; gapMs: number; message: string }[] = [];
  for (const rule of rules) {
    const [a, b] = rule.between.map((name) => marks[name]);
    if (!a || !b || !ISO_DATE.test(a.value) || !ISO_DATE.test(b.value)) continue;
    const gapMs = Math.abs(Date.parse(a.value) - Date.parse(b.value));
    if (gapMs > rule.maxGapMs) broken.push({ rule, gapMs, message: `${a.name} (${a.value}) and ${b.name} (${b.value}) are ${gapMs / 3_600_000} h apart; the sync rule allows ${rule.maxGapMs / 3_600_000} h` });
  }
  return broken;
}
