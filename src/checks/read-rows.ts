import { pipeline } from "node:stream";
import type * as CsvParse from "csv-parse";
import { lazyRequire } from "../core/lazy-require.js";
import type { RowFormat } from "./check-spec-schema.js";
import { readLines } from "./read-lines.js";
import { openCheckStream } from "./resolve-check-path.js";

const csvParse = lazyRequire<typeof CsvParse>("csv-parse");

/** One data row: its 1-based line number, and either the row or the reason it could not be read. */
export type RowRecord = { readonly line: number; readonly row: Record<string, unknown> } | { readonly line: number; readonly problem: string };

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;

/**
 * Streams the data rows of a CSV file (the first record is the header and names the fields; blank
 * lines are skipped) or a JSONL file (one JSON object per non-blank line), in bounded memory, each
 * with the line it starts on. CSV fields that look numeric, including `NaN` and `Infinity`, become
 * numbers; other fields stay strings. A CSV row whose field count differs from the header's, or a
 * JSONL line that is not a JSON object, is yielded with a problem instead of a row. Rejects on CSV
 * syntax errors, I/O errors and abort.
 */
export function readRows(file: string, format: RowFormat, signal: AbortSignal): AsyncGenerator<RowRecord> {
  return format === "csv" ? readCsvRows(file, signal) : readJsonlRows(file, signal);
}

async function* readCsvRows(file: string, signal: AbortSignal): AsyncGenerator<RowRecord> {
  // Lines are counted here rather than with csv-parse's `info`, which halves throughput and counts a
  // CRLF inside a quoted field as two lines.
  const parser = csvParse().parse({ bom: true, relax_column_count: true });
  // pipeline forwards a read error (or the abort) to the parser, which ends the loop below.
  pipeline(openCheckStream(file, signal), parser, () => {});
  let header: readonly string[] | undefined;
  let next = 1;
  for await (const record of parser as AsyncIterable<string[]>) {
    const line = next;
    next += 1 + lineBreaksIn(record);
    if (record.length === 1 && record[0] === "") continue;
    if (header === undefined) {
      header = record;
      continue;
    }
    if (record.length !== header.length) {
      yield { line, problem: `expected ${header.length} fields, got ${record.length}` };
      continue;
    }
    // No prototype: a header named __proto__ must stay a plain field.
    const row: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    header.forEach((name, i) => {
      row[name] = typedField(record[i] ?? "");
    });
    yield { line, row };
  }
}

function lineBreaksIn(record: readonly string[]): number {
  let breaks = 0;
  for (const field of record) {
    if (field.includes("\n") || field.includes("\r")) breaks += field.match(/\r\n|\r|\n/g)?.length ?? 0;
  }
  return breaks;
}

async function* readJsonlRows(file: string, signal: AbortSignal): AsyncGenerator<RowRecord> {
  for await (const { line, text } of readLines(file, signal)) yield jsonlRecord(line, text);
}

function jsonlRecord(line: number, text: string): RowRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { line, problem: `invalid JSON: ${(error as Error).message}` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { line, problem: "not a JSON object" };
  return { line, row: value as Record<string, unknown> };
}

function typedField(text: string): string | number {
  const trimmed = text.trim();
  if (NUMBER.test(trimmed)) return Number(trimmed);
  if (NON_FINITE.test(trimmed)) {
    if (/nan/i.test(trimmed)) return Number.NaN;
    return trimmed.startsWith("-") ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  return text;
}
