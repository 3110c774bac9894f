import { RunledgerError } from "./errors.js";

/** How every time option is written; quoted in --help, the docs and every refusal. */
export const ISO_TIME_FORM = "YYYY-MM-DDTHH:MM[:SS[.fff]] with Z or ±HH:MM, or a date YYYY-MM-DD (midnight UTC)";

// Strict: four-digit year, two-digit fields, an upper-case T and Z, no spaces, nothing else.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * Parses one instant written in ISO-8601: a full date-time with `Z` or an offset, or a plain date
 * meaning midnight UTC. `new Date(text)` is not used because it accepts "0", "-1" and "1 2" and
 * rolls 2026-02-30 over into March; here every field is range-checked and the result must read
 * back as the fields written. Returns undefined for anything else.
 */
export function parseIsoInstant(text: string): Date | undefined {
  const m = DATE_TIME.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4] ?? "0", m[5] ?? "0", m[6] ?? "0"].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (year < 1 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const offsetMinutes = offsetOf(m[8]);
  if (offsetMinutes === undefined) return undefined;
  const millis = Number((m[7] ?? "").padEnd(3, "0").slice(0, 3));
  const local = new Date(0);
  local.setUTCFullYear(year, month - 1, day);
  local.setUTCHours(hour, minute, second, millis);
  // Date rolls 2026-02-30 over to 2026-03-02: a field that does not read back was out of range.
  if (local.getUTCFullYear() !== year || local.getUTCMonth() !== month - 1 || local.getUTCDate() !== day) return undefined;
  return new Date(local.getTime() - offsetMinutes * 60_000);
}

/**
 * The instant `text` names, for the option (or field) `what`: ERR_USAGE naming it and the
 * accepted form when `text` is not strict ISO-8601.
 */
export function parseIsoTime(text: string, what: string): Date {
  const instant = parseIsoInstant(text);
  if (instant === undefined) throw new RunledgerError("ERR_USAGE", { detail: `${what} ${JSON.stringify(text)}: expected an ISO-8601 time, ${ISO_TIME_FORM}` });
  return instant;
}

/** Minutes east of UTC for `Z` or `±HH:MM`; undefined for an out-of-range offset. */
function offsetOf(zone: string | undefined): number | undefined {
  if (zone === undefined || zone === "Z") return 0;
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(4, 6));
  if (hours > 23 || minutes > 59) return undefined;
  return (zone.startsWith("-") ? -1 : 1) * (hours * 60 + minutes);
}
