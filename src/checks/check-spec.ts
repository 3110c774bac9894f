import type { CheckVerdict } from "./check-result.js";

/** The kinds of check; a spec is an object with exactly one of these keys. */
export type CheckKind = "nonEmpty" | "jsonSchema" | "rowCount" | "rows" | "command" | "custom";

/** Every check kind, in documentation order. */
export const CHECK_KINDS: readonly CheckKind[] = ["nonEmpty", "jsonSchema", "rowCount", "rows", "command", "custom"];

/** A JSON Schema (draft 2020-12): an object, or a boolean schema. */
export type JsonSchemaDocument = Readonly<Record<string, unknown>> | boolean;

/** PASS when the file exists and holds at least one byte. */
export interface NonEmptyCheckSpec {
  readonly nonEmpty: string;
}

/** PASS when the file's JSON (every line of a `.jsonl` file) validates against `schema`. */
export interface JsonSchemaCheckSpec {
  readonly jsonSchema: { readonly path: string; readonly schema: JsonSchemaDocument };
}

/** PASS when the file's line count (JSON lines for `.jsonl`, data rows for `.csv`) is within [min, max]. */
export interface RowCountCheckSpec {
  readonly rowCount: { readonly path: string; readonly min?: number | undefined; readonly max?: number | undefined };
}

/** PASS when `expr` is true for every row of a `.csv` or `.jsonl` file, e.g. `high >= low && volume >= 0`. */
export interface RowsCheckSpec {
  readonly rows: { readonly path: string; readonly expr: string };
}

/** Runs a subprocess (argv, or a string via `sh -c`): exit 0 PASS, an exit code in `warnExit` WARN, else FAIL. */
export interface CommandCheckSpec {
  readonly command: { readonly run: readonly string[] | string; readonly warnExit?: readonly number[] | undefined };
}

/**
 * What a custom check function receives: reads are confined to `dir` like every other check.
 * `outputsDir` and `outputs` serve functions written against the operator definition's context.
 */
export interface CustomCheckContext {
  readonly dir: string;
  readonly signal: AbortSignal;
  /** `<dir>/outputs`. */
  readonly outputsDir: string;
  /** Every regular file under `outputs/` (symlinks excluded), relative path (`outputs/x.csv`) → absolute path. */
  readonly outputs: Readonly<Record<string, string>>;
  /** The file's text (UTF-8); rejects for a missing file or a path outside `dir`. */
  readText(relpath: string): Promise<string>;
  /** The file parsed as JSON; rejects like `readText`, or when the text is not JSON. */
  readJson(relpath: string): Promise<unknown>;
}

/**
 * A custom check's answer: a bare verdict, a verdict with JSON-safe evidence, or the operator
 * definition's `{ verdict, message?, evidence? }` (the message is added to the evidence).
 */
export type CheckOutcome =
  | CheckVerdict
  | { readonly result: CheckVerdict; readonly evidence?: Readonly<Record<string, unknown>> | undefined }
  | { readonly verdict: CheckVerdict; readonly message?: string | undefined; readonly evidence?: Readonly<Record<string, unknown>> | undefined };

/** A check written in TypeScript; a thrown error or a rejected promise is FAIL with the message as evidence. */
export type CustomCheckFn = (ctx: CustomCheckContext) => CheckOutcome | Promise<CheckOutcome>;

/** A check defined in TypeScript, reported under `name`. */
export interface CustomCheckSpec {
  readonly custom: { readonly name: string; readonly fn: CustomCheckFn };
}

/** One acceptance check, as written in an operator definition. */
export type CheckSpec = NonEmptyCheckSpec | JsonSchemaCheckSpec | RowCountCheckSpec | RowsCheckSpec | CommandCheckSpec | CustomCheckSpec;
