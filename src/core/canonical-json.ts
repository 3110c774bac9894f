import { RunledgerError } from "./errors.js";

/** A value that survives a JSON round trip unchanged. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * Serializes a value as RFC 8785 (JCS) canonical JSON: object keys sorted by UTF-16 code units, no
 * whitespace, strings and numbers as ECMAScript's JSON.stringify writes them; so the same value gives
 * the same bytes, and the same digest, on every machine. Rejects what JSON cannot carry (undefined at
 * the top or in arrays, functions, NaN, Infinity, BigInt, lone surrogates) with ERR_CANONICAL_JSON
 * naming the path. Written out rather than taken from the `canonicalize` package because it runs on
 * every ledger append; tests hold it byte-equal to that package.
 */
export function canonicalJson(value: unknown): string {
  const text = write(value);
  if (text === undefined) {
    const found = findNonJson(value, "$");
    throw new RunledgerError("ERR_CANONICAL_JSON", { detail: found ?? "$ is not JSON" });
  }
  return text;
}

const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function badString(value: string): boolean {
  return SURROGATE.test(value) && LONE_SURROGATE.test(value);
}

/** The serialization, or undefined when something in the value is not JSON; no paths on the hot path. */
function write(value: unknown): string | undefined {
  switch (typeof value) {
    case "string":
      return badString(value) ? undefined : JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "number":
      return Number.isFinite(value) ? JSON.stringify(value) : undefined;
    case "object": {
      if (value === null) return "null";
      if (Array.isArray(value)) {
        let out = "[";
        for (let i = 0; i < value.length; i++) {
          const item = write(value[i]);
          if (item === undefined) return undefined;
          out += i === 0 ? item : `,${item}`;
        }
        return `${out}]`;
      }
      const json = (value as { toJSON?: () => unknown }).toJSON;
      if (typeof json === "function") return write(json.call(value));
      const keys = Object.keys(value).sort();
      let out = "{";
      for (const key of keys) {
        const raw = (value as Record<string, unknown>)[key];
        if (raw === undefined) continue;
        const item = write(raw);
        if (item === undefined || badString(key)) return undefined;
        out += `${out.length === 1 ? "" : ","}${JSON.stringify(key)}:${item}`;
      }
      return `${out}}`;
    }
    default:
      return undefined;
  }
}

/** The slow walk that runs only after a failure, to say where and what. */
function findNonJson(value: unknown, path: string): string | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? undefined : `${path} is ${value}`;
  if (typeof value === "string") return badString(value) ? `${path} holds a lone surrogate` : undefined;
  if (typeof value !== "object") return typeof value === "boolean" ? undefined : `${path} is ${typeof value}`;
  if (value === null) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNonJson(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  const json = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof json === "function") return findNonJson(json.call(value), path);
  for (const [key, item] of Object.entries(value)) {
    if (badString(key)) return `${path} has a key with a lone surrogate`;
    const found = item === undefined ? undefined : findNonJson(item, `${path}.${key}`);
    if (found) return found;
  }
  return undefined;
}
