/** What the simple reader returns when the text leaves its subset: the full YAML parser decides then. */
export const UNSUPPORTED: unique symbol = Symbol("unsupported YAML");
export type Unsupported = typeof UNSUPPORTED;

// The YAML 1.2 core schema as the `yaml` package resolves plain scalars (schema/core, common/null).
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT = /^[-+]?[0-9]{1,15}$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;
// Every other number form of the core schema (octal, hex, long integers, exponents, .inf, .nan) is left to the full parser.
const OTHER_NUMBER = /^(?:0o[0-7]+|0x[0-9a-fA-F]+|[-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
/** A plain scalar may not start with an indicator; `-` may start one when a non-space follows. */
const INDICATOR_START = /^(?:[?:,[\]{}#&*!|>'"%@`]|-(?:\s|$))/;

/** The value of a plain scalar (already trimmed, comment removed), or UNSUPPORTED. */
export function resolvePlain(text: string): unknown {
  if (NULL.test(text)) return null;
  if (BOOL.test(text)) return text[0] === "t" || text[0] === "T";
  if (INT.test(text)) return Number(text);
  if (FLOAT.test(text)) return parseFloat(text);
  if (OTHER_NUMBER.test(text) || INDICATOR_START.test(text)) return UNSUPPORTED;
  // `: ` would start a nested mapping; control characters never reach here (readSimpleYaml refuses them).
  if (text.includes(": ") || text.endsWith(":")) return UNSUPPORTED;
  return text;
}

/** A quoted scalar starting at `text[start]`: its value and the index after its closing quote, or UNSUPPORTED. */
export function readQuoted(text: string, start: number): { value: string; end: number } | Unsupported {
  return text[start] === "'" ? readSingleQuoted(text, start) : readDoubleQuoted(text, start);
}

function readSingleQuoted(text: string, start: number): { value: string; end: number } | Unsupported {
  let value = "";
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i]!;
    if (ch !== "'") {
      value += ch;
      continue;
    }
    if (text[i + 1] !== "'") return { value, end: i + 1 };
    value += "'";
    i++;
  }
  return UNSUPPORTED;
}

const ESCAPES: Readonly<Record<string, string>> = { "\\": "\\", '"': '"', "/": "/", n: "\n", t: "\t", r: "\r", "0": "\0", " ": " " };

function readDoubleQuoted(text: string, start: number): { value: string; end: number } | Unsupported {
  let value = "";
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') return { value, end: i + 1 };
    if (ch !== "\\") {
      value += ch;
      continue;
    }
    const next = text[i + 1] ?? "";
    if (next === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
      const code = parseInt(text.slice(i + 2, i + 6), 16);
      if (code >= 0xd800 && code <= 0xdfff) return UNSUPPORTED;
      value += String.fromCharCode(code);
      i += 5;
      continue;
    }
    const escaped = ESCAPES[next];
    if (escaped === undefined) return UNSUPPORTED;
    value += escaped;
    i++;
  }
  return UNSUPPORTED;
}

/** Sets `key` as `yaml` does: a key an object already has (even inherited, like `__proto__`) becomes an own property. */
export function setKey(map: Record<string, unknown>, key: string, value: unknown): void {
  if (key in map) Object.defineProperty(map, key, { value, writable: true, enumerable: true, configurable: true });
  else map[key] = value;
}

/** Whether nothing but spaces and a comment follow `from`. */
export function isBlankOrComment(text: string, from: number): boolean {
  const rest = text.slice(from);
  const trimmed = rest.trimStart();
  return trimmed === "" || (trimmed.startsWith("#") && trimmed.length < rest.length);
}
