import type * as JsYaml from "js-yaml";
import { lazyRequire } from "../core/lazy-require.js";

const jsYaml = lazyRequire<typeof JsYaml>("js-yaml");

export const UNSUPPORTED: unique symbol = Symbol("YAML left to the full parser");
export type Unsupported = typeof UNSUPPORTED;

/** YAML 1.2 core numbers exactly as `yaml` reads them (js-yaml's own also take `_`, `0b` and a signed hex). */
const INT = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/;
const FLOAT = /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

function toInt(text: string): number {
  if (text.startsWith("0o")) return parseInt(text.slice(2), 8);
  if (text.startsWith("0x")) return parseInt(text.slice(2), 16);
  return Number(text);
}

function toFloat(text: string): number {
  const lower = text.toLowerCase();
  if (lower.endsWith(".inf")) return lower.startsWith("-") ? -Infinity : Infinity;
  if (lower === ".nan") return NaN;
  return Number(text);
}

let coreSchema: JsYaml.Schema | undefined;

/** The YAML 1.2 core schema (null, bool, int, float over the failsafe one) with `yaml`'s number rules. */
function schema(): JsYaml.Schema {
  if (coreSchema) return coreSchema;
  const { FAILSAFE_SCHEMA, Type } = jsYaml();
  // js-yaml exports its built-in types at run time; its type declarations omit them.
  const { types } = jsYaml() as unknown as { readonly types: Readonly<Record<"null" | "bool", JsYaml.Type>> };
  const int = new Type("tag:yaml.org,2002:int", { kind: "scalar", resolve: (text: string) => INT.test(text), construct: toInt });
  const float = new Type("tag:yaml.org,2002:float", { kind: "scalar", resolve: (text: string) => FLOAT.test(text), construct: toFloat });
  return (coreSchema = FAILSAFE_SCHEMA.extend({ implicit: [types.null, types.bool, int, float] }));
}

/**
 * Reads a pipeline file with js-yaml: an order of magnitude faster than `yaml` (about 20 against
 * 300 ms for 2,000 tasks), which builds a document model with positions that only a problem's
 * `file:line:col` needs. The schema is YAML 1.2 core with `yaml`'s rules, so the values are yaml's
 * (a test holds the two to the same values). UNSUPPORTED leaves the text to `yaml`, which reports
 * syntax errors and limits aliases: text js-yaml refuses, a document that is not a mapping, and one
 * that uses aliases (whose expansion yaml bounds).
 */
export function readYamlFast(source: string): { readonly value: Record<string, unknown> } | Unsupported {
  if (hasContinuedLines(source)) return UNSUPPORTED;
  let value: unknown;
  try {
    value = jsYaml().load(source, { schema: schema() });
  } catch {
    return UNSUPPORTED;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value) || sharesNodes(value)) return UNSUPPORTED;
  return { value: value as Record<string, unknown> };
}

/** A line that opens a block scalar (`key: |`, `- >-`): the lines indented under it are its text. */
const BLOCK_SCALAR = /(?:^|[\s:-])[|>][-+0-9]*\s*(?:#.*)?$/;

/**
 * Whether a line outside block scalars leaves a flow collection or a quoted scalar open, or holds
 * an empty key (`{: x}`, `a:: b`): there the two libraries' rules differ (js-yaml is lenient with
 * the indentation of continued lines), so `yaml` reads the file. Unbalanced brackets inside a
 * plain scalar count too, which only sends a few more files to `yaml`.
 */
function hasContinuedLines(source: string): boolean {
  let blockIndent: number | undefined;
  for (const line of source.split("\n")) {
    const indent = line.length - line.trimStart().length;
    if (blockIndent !== undefined && (line.trim() === "" || indent > blockIndent)) continue;
    blockIndent = undefined;
    if (continuesOnNextLine(line)) return true;
    if (BLOCK_SCALAR.test(line)) blockIndent = indent;
  }
  return false;
}

/** Whether this line leaves a flow collection or quoted scalar open, or holds an empty key. */
function continuesOnNextLine(line: string): boolean {
  let depth = 0;
  let quote: "'" | '"' | undefined;
  let previous = "";
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === '"' && c === "\\") i++;
    else if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if ((c === "'" || c === '"') && SCALAR_START.includes(previous)) quote = c;
    else if (c === "#" && (i === 0 || line[i - 1] === " ")) break;
    else if (c === "[" || c === "{") depth++;
    else if (c === "]" || c === "}") depth--;
    else if (c === ":" && (line[i + 1] === ":" || /[{[,]\s*$/.test(line.slice(0, i)))) return true;
    if (c !== " " && quote === undefined) previous = c;
  }
  return depth !== 0 || quote !== undefined;
}

/** What may precede a quote that starts a quoted scalar (line start, a key's colon, an item's dash, a flow indicator). */
const SCALAR_START = ["", ":", "-", "[", "{", ",", "?"];

/** Whether a mapping or sequence appears twice in the value: the mark of an alias. */
function sharesNodes(root: object): boolean {
  const seen = new Set<object>();
  const pending: object[] = [root];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (seen.has(node)) return true;
    seen.add(node);
    for (const child of Object.values(node)) if (typeof child === "object" && child !== null) pending.push(child);
  }
  return false;
}
