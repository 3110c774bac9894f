import type { CheckFinding } from "./check-result.js";
import { isCsvError } from "./is-csv-error.js";
import { rowFormatOf } from "./check-spec-schema.js";
import { readRows } from "./read-rows.js";
import { openCheckStream } from "./resolve-check-path.js";

/**
 * Counts the rows of `file` in a stream and compares with the inclusive bounds: data rows (header
 * excluded, blank lines skipped) for `.csv`, non-blank lines for `.jsonl`, lines for anything else
 * (a last line without a newline counts). Evidence: `rows`, `unit`, `min`/`max` when set; a CSV
 * syntax error is FAIL with `{ reason: "csv parse error" }`.
 */
export async function evaluateRowCount(
  file: string,
  relpath: string,
  min: number | undefined,
  max: number | undefined,
  signal: AbortSignal,
): Promise<CheckFinding> {
  const format = rowFormatOf(relpath);
  const unit = format === "csv" ? "csv rows" : format === "jsonl" ? "json lines" : "lines";
  const bounds = { ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) };
  let rows = 0;
  try {
    if (format === undefined) rows = await countLines(file, signal);
    else for await (const _ of readRows(file, format, signal)) rows++;
  } catch (error) {
    if (signal.aborted || !isCsvError(error)) throw error;
    return { result: "FAIL", evidence: { reason: "csv parse error", message: (error as Error).message, unit, ...bounds } };
  }
  const inRange = (min === undefined || rows >= min) && (max === undefined || rows <= max);
  const evidence = { rows, unit, ...bounds };
  return inRange ? { result: "PASS", evidence } : { result: "FAIL", evidence: { ...evidence, reason: rows < (min ?? 0) ? "too few rows" : "too many rows" } };
}

async function countLines(file: string, signal: AbortSignal): Promise<number> {
  let lines = 0;
  let last = 0x0a;
  for await (const chunk of openCheckStream(file, signal) as AsyncIterable<Buffer>) {
    for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, at + 1)) lines++;
    if (chunk.length > 0) last = chunk[chunk.length - 1] ?? last;
  }
  return last === 0x0a ? lines : lines + 1;
}
