import type * as Filtrex from "filtrex";
import { RunledgerError } from "../core/errors.js";
import { lazyRequire } from "../core/lazy-require.js";

const filtrex = lazyRequire<typeof Filtrex>("filtrex");

/** Judges one row: undefined when it passes, otherwise the reason it fails. */
export type RowPredicate = (row: Readonly<Record<string, unknown>>) => string | undefined;

/**
 * Compiles a row expression with filtrex, a sandboxed evaluator (no access to globals or
 * prototypes). The language has field names (bare, or 'single-quoted' for odd names), numbers,
 * "double-quoted" strings, `+ - * / ^ mod`, comparisons `== != < <= > >=`, `and or not` (and their
 * JavaScript spellings `&& || !`), `true`, `false`, parentheses and functions such as `abs`, `min`,
 * `max`, `exists`. A row fails when any numeric field is NaN or ±Infinity, when the expression
 * names a missing field, errors (e.g. a number compared with text), or yields anything but `true`.
 * Throws ERR_CHECK_INVALID when the expression does not parse.
 */
export function compileRowExpression(expr: string): RowPredicate {
  let evaluate: (row: unknown) => unknown;
  try {
    evaluate = filtrex().compileExpression(toFiltrexSyntax(expr), { constants: { true: true, false: false } });
  } catch (error) {
    const message = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
    throw new RunledgerError("ERR_CHECK_INVALID", { detail: `rows expression ${JSON.stringify(expr)} does not parse: ${message}`, cause: error });
  }
  return (row) => {
    for (const [field, value] of Object.entries(row)) {
      if (typeof value === "number" && !Number.isFinite(value)) return `field "${field}" is ${String(value)}`;
    }
    const value = evaluate(row);
    if (value === true) return undefined;
    // filtrex returns runtime errors instead of throwing them.
    if (value instanceof Error) {
      const missing = (value as { propertyName?: unknown }).propertyName;
      return typeof missing === "string" ? `missing field "${missing}"` : `expression error: ${value.message}`;
    }
    if (value === false) return "expression is false";
    return `expression is not a boolean: ${typeof value === "string" ? JSON.stringify(value) : String(value)}`;
  };
}

/**
 * Rewrites JavaScript's `&&`, `||`, `!`, `===` and `!==` into filtrex's `and`, `or`, `not`, `==`
 * and `!=`, leaving quoted strings and quoted field names untouched. `!` keeps its JavaScript
 * precedence because filtrex's `not` also binds tighter than comparisons.
 */
export function toFiltrexSyntax(expr: string): string {
  let out = "";
  let i = 0;
  while (i < expr.length) {
    const c = expr[i] as string;
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < expr.length && expr[j] !== c) j += expr[j] === "\\" ? 2 : 1;
      out += expr.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    const rewrite = REWRITES.find(([js]) => expr.startsWith(js, i));
    if (rewrite) {
      out += rewrite[1];
      i += rewrite[0].length;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

// Longest spellings first, so `!==` is not read as `!` followed by `==`.
const REWRITES: readonly (readonly [string, string])[] = [
  ["===", "=="],
  ["!==", "!="],
  ["!=", "!="],
  ["&&", " and "],
  ["||", " or "],
  ["!", " not "],
];
