import { RunledgerError } from "../core/errors.js";
import type { WatermarkView } from "../ledger/projections/watermark-state.js";

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

/** A sync rule between two watermarks (seed 001 §4.3: `abs(TE_US - TE_INDIA) ≤ 1 day`). */
export interface SyncRule {
  readonly between: readonly [string, string];
  readonly maxGapMs: number;
}

/** Every sync rule the watermarks break now, with the gap; a rule over a missing or non-date watermark is skipped. */
export function brokenSyncRules(
  marks: Readonly<Record<string, WatermarkView>>,
  rules: readonly SyncRule[],
): { rule: SyncRule; gapMs: number; message: string }[] {
  const broken: { rule: SyncRule; gapMs: number; message: string }[] = [];
  for (const rule of rules) {
    const [a, b] = rule.between.map((name) => marks[name]);
    if (!a || !b || !ISO_DATE.test(a.value) || !ISO_DATE.test(b.value)) continue;
    const gapMs = Math.abs(Date.parse(a.value) - Date.parse(b.value));
    if (gapMs > rule.maxGapMs)
      broken.push({
        rule,
        gapMs,
        message: `${a.name} (${a.value}) and ${b.name} (${b.value}) are ${gapMs / 3_600_000} h apart; the sync rule allows ${rule.maxGapMs / 3_600_000} h`,
      });
  }
  return broken;
}
