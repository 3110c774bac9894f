import type { CheckFinding } from "./check-result.js";
import type { RowPredicate } from "./compile-row-expression.js";
import type { RowFormat } from "./check-spec-schema.js";
import { isCsvError } from "./is-csv-error.js";
import { readRows } from "./read-rows.js";

const MAX_REPORTED = 5;

/**
 * Streams every data row of `file` through `predicate`: PASS when all rows pass, FAIL otherwise.
 * Evidence: `rowsChecked`, `failingRows` (the total) and `failures`, the first five failing rows with
 * their line number, the reason and the row (NaN and ±Infinity written as strings to stay JSON).
 * A CSV syntax error is FAIL with `{ reason: "csv parse error" }` and the rows checked so far.
 */
export async function evaluateRows(file: string, format: RowFormat, predicate: RowPredicate, signal: AbortSignal): Promise<CheckFinding> {
  let rowsChecked = 0;
  let failingRows = 0;
  const failures: Record<string, unknown>[] = [];
  try {
    for await (const record of readRows(file, format, signal)) {
      signal.throwIfAborted();
      rowsChecked++;
      const reason = "problem" in record ? record.problem : predicate(record.row);
      if (reason === undefined) continue;
      failingRows++;
      if (failures.length < MAX_REPORTED) {
        failures.push("row" in record ? { line: record.line, reason, row: jsonSafeRow(record.row) } : { line: record.line, reason });
      }
    }
  } catch (error) {
    if (signal.aborted || !isCsvError(error)) throw error;
    return { result: "FAIL", evidence: { reason: "csv parse error", message: (error as Error).message, rowsChecked, failingRows, failures } };
  }
  return { result: failingRows === 0 ? "PASS" : "FAIL", evidence: { rowsChecked, failingRows, failures } };
}

function jsonSafeRow(row: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([field, value]) => [field, typeof value === "number" && !Number.isFinite(value) ? String(value) : value]));
}
