import { RunledgerError } from "../core/errors.js";

/** A `--limit` flag as a whole number of at least 1 (undefined when not given); anything else is ERR_USAGE. */
export function limitFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new RunledgerError("ERR_USAGE", { detail: `--limit ${value}: expected a whole number of at least 1` });
  return Number(value);
}
