import { RunledgerError } from "./errors.js";

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const PART = /(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)/gy;
/** What a duration may look like, for messages. */
export const DURATION_HINT = "expected milliseconds as a number, or <number><unit> with unit ms, s, m, h or d (e.g. 250ms, 30s, 5m, 1h30m)";

/**
 * Parses a duration into whole milliseconds: a non-negative number is milliseconds; a string is
 * one or more `<number><unit>` parts (`250ms`, `30s`, `5m`, `1h`, `1d`, `1h30m`, `1.5h`). Anything
 * else throws ERR_SCHEMA naming the value.
 */
export function parseDuration(value: string | number): number {
  if (typeof value === "number") {
    if (Number.isFinite(value) && value >= 0) return Math.round(value);
    throw invalid(value);
  }
  if (typeof value !== "string") throw invalid(value);
  const text = value.trim();
  if (text === "") throw invalid(value);
  PART.lastIndex = 0;
  let total = 0;
  let match: RegExpExecArray | null;
  while ((match = PART.exec(text)) !== null) {
    total += Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
    if (PART.lastIndex === text.length) return Math.round(total);
  }
  throw invalid(value);
}

function invalid(value: unknown): RunledgerError {
  return new RunledgerError("ERR_SCHEMA", { detail: `invalid duration ${JSON.stringify(value) ?? String(value)}: ${DURATION_HINT}` });
}
