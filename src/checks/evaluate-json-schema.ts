import { readFile } from "node:fs/promises";
import type { ValidateFunction } from "ajv/dist/2020.js";
import type { CheckFinding } from "./check-result.js";
import { rowFormatOf } from "./check-spec-schema.js";
import { readLines } from "./read-lines.js";
import { CHECK_READ_FLAGS } from "./resolve-check-path.js";

const MAX_REPORTED = 10;

/**
 * Validates `file` against a compiled schema: the whole file as one JSON document, or every
 * non-blank line of a `.jsonl` (or `.ndjson`) file as its own document. PASS when every document is valid JSON and
 * matches. Evidence: `documents`, `totalErrors` and `errors`, the first ten with `instancePath`,
 * `keyword`, `message` (and `line` for JSONL); unparseable JSON counts as an error with keyword `json`.
 */
export async function evaluateJsonSchema(file: string, relpath: string, validate: ValidateFunction, signal: AbortSignal): Promise<CheckFinding> {
  const errors: Record<string, unknown>[] = [];
  let totalErrors = 0;
  let documents = 0;
  const check = (text: string, line: number | undefined): void => {
    documents++;
    const at = line === undefined ? {} : { line };
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      totalErrors++;
      if (errors.length < MAX_REPORTED) errors.push({ ...at, instancePath: "", keyword: "json", message: `invalid JSON: ${(error as Error).message}` });
      return;
    }
    if (validate(value)) return;
    for (const e of validate.errors ?? []) {
      totalErrors++;
      if (errors.length < MAX_REPORTED)
        errors.push({ ...at, instancePath: e.instancePath, keyword: e.keyword, message: e.message ?? e.keyword, params: e.params });
    }
  };
  if (rowFormatOf(relpath) === "jsonl") for await (const { text, line } of readLines(file, signal)) check(text, line);
  else check(await readFile(file, { encoding: "utf8", signal, flag: CHECK_READ_FLAGS }), undefined);
  return { result: totalErrors === 0 ? "PASS" : "FAIL", evidence: { documents, totalErrors, errors } };
}
