import { readBlockScalar } from "./read-block-scalar.js";
import { readFlow } from "./read-simple-yaml-flow.js";
import { isBlankOrComment, readQuoted, resolvePlain, setKey, UNSUPPORTED, type Unsupported } from "./simple-yaml-scalars.js";

/** One line that carries content: its indentation, the text after it, and its row in the source. */
interface Line {
  indent: number;
  text: string;
  readonly row: number;
}

/** Anything these characters could mean (tabs, CR, BOM, other controls, YAML 1.1 line breaks, surrogates) is left to the full parser. */
function hasUnsupportedChars(source: string): boolean {
  for (let i = 0; i < source.length; i++) {
    const code = source.charCodeAt(i);
    if (code === 0x0a || (code >= 0x20 && code < 0x7f)) continue;
    if (code < 0xa0 || code === 0x2028 || code === 0x2029 || (code >= 0xd800 && code <= 0xdfff) || code === 0xfeff || code >= 0xfffe) return true;
  }
  return false;
}
/** A plain key as pipelines write them; spaces inside are fine in a block mapping. */
const PLAIN_KEY = /^[A-Za-z0-9_$./](?:[\w$./ -]*[\w$./-])?$/;
const MAX_DEPTH = 64;

/**
 * Reads the plain block YAML pipelines are written in (mappings, sequences, one-line flow
 * collections, plain and quoted scalars, comments) an order of magnitude faster than the full
 * parser, to the same values `yaml`'s `parse()` gives. Anything outside that subset (anchors,
 * tags, block scalars, multi-line scalars, documents markers, duplicate keys, odd indentation,
 * any syntax error) returns UNSUPPORTED, and the caller parses with `yaml`, which reports errors.
 */
export function readSimpleYaml(source: string): { value: Record<string, unknown> } | Unsupported {
  if (hasUnsupportedChars(source)) return UNSUPPORTED;
  const rows = source.split("\n");
  const lines: Line[] = [];
  for (const [row, raw] of rows.entries()) {
    const text = raw.trimStart();
    if (text === "" || text.startsWith("#")) continue;
    const indent = raw.length - text.length;
    if (indent === 0 && (text.startsWith("---") || text.startsWith("...") || text.startsWith("%"))) return UNSUPPORTED;
    lines.push({ indent, text: text.trimEnd(), row });
  }
  if (lines.length === 0 || lines[0]!.indent !== 0 || isSequenceItem(lines[0]!.text)) return UNSUPPORTED;
  const reader = new BlockReader(lines, rows);
  const value = reader.mapping(0, 0);
  return value === UNSUPPORTED || !reader.done() ? UNSUPPORTED : { value };
}

function isSequenceItem(text: string): boolean {
  return text === "-" || text.startsWith("- ");
}

class BlockReader {
  #at = 0;

  constructor(
    readonly lines: Line[],
    readonly rows: readonly string[],
  ) {}

  done(): boolean {
    return this.#at === this.lines.length;
  }

  /** The block mapping whose keys sit at `indent`. */
  mapping(indent: number, depth: number): Record<string, unknown> | Unsupported {
    const map: Record<string, unknown> = {};
    for (let line = this.lines[this.#at]; line !== undefined && line.indent >= indent; line = this.lines[this.#at]) {
      if (line.indent > indent || isSequenceItem(line.text)) return UNSUPPORTED;
      const entry = splitKey(line.text);
      if (entry === UNSUPPORTED || entry === undefined || Object.hasOwn(map, entry.key) || entry.key === "<<") return UNSUPPORTED;
      this.#at++;
      const value = entry.rest === "" ? this.nested(indent, true, depth) : this.inline(entry.rest, indent);
      if (value === UNSUPPORTED) return UNSUPPORTED;
      setKey(map, entry.key, value);
    }
    return map;
  }

  /** The block sequence whose dashes sit at `indent`. */
  sequence(indent: number, depth: number): unknown[] | Unsupported {
    const items: unknown[] = [];
    for (let line = this.lines[this.#at]; line !== undefined && line.indent >= indent; line = this.lines[this.#at]) {
      if (line.indent > indent) return UNSUPPORTED;
      // A key at the sequence's own indent ends it: the sequence was that mapping's value.
      if (!isSequenceItem(line.text)) break;
      const rest = line.text.slice(1).trimStart();
      let value: unknown;
      if (rest === "") {
        this.#at++;
        value = this.nested(indent, false, depth);
      } else if (isSequenceItem(rest) || splitKey(rest) !== undefined) {
        // `- key: value` (or `- - item`) opens a collection whose entries line up with this first one.
        line.indent += line.text.length - rest.length;
        line.text = rest;
        if (depth >= MAX_DEPTH) return UNSUPPORTED;
        value = isSequenceItem(rest) ? this.sequence(line.indent, depth + 1) : this.mapping(line.indent, depth + 1);
      } else {
        this.#at++;
        value = this.inline(rest, indent);
      }
      if (value === UNSUPPORTED) return UNSUPPORTED;
      items.push(value);
    }
    return items;
  }

  /** What follows `key:` or `-` on the next lines: a deeper block, a sequence at the key's own indent, or null. */
  nested(indent: number, underKey: boolean, depth: number): unknown {
    const next = this.lines[this.#at];
    if (depth >= MAX_DEPTH) return UNSUPPORTED;
    if (next === undefined || next.indent < indent || (next.indent === indent && !(underKey && isSequenceItem(next.text)))) return null;
    if (isSequenceItem(next.text)) return this.sequence(next.indent, depth + 1);
    return this.mapping(next.indent, depth + 1);
  }

  /** A value on the line of its key or dash; a deeper line after it would continue it, which is left to the full parser. */
  inline(text: string, indent: number): unknown {
    if (text.startsWith("|") || text.startsWith(">")) return this.blockScalar(text, indent);
    const next = this.lines[this.#at];
    if (next !== undefined && next.indent > indent) return UNSUPPORTED;
    return inlineValue(text);
  }

  /** A literal block scalar after the line just read; the lines it covers are skipped. */
  blockScalar(header: string, indent: number): unknown {
    const scalar = readBlockScalar(header, this.rows, this.lines[this.#at - 1]!.row + 1, indent);
    if (scalar === UNSUPPORTED) return UNSUPPORTED;
    while ((this.lines[this.#at]?.row ?? Infinity) < scalar.next) this.#at++;
    return scalar.value;
  }
}

/** A scalar or one-line flow collection, with an optional comment after it. */
function inlineValue(text: string): unknown {
  const first = text[0];
  if (first === "[" || first === "{") {
    const flow = readFlow(text, 0);
    return flow === UNSUPPORTED || !isBlankOrComment(text, flow.end) ? UNSUPPORTED : flow.value;
  }
  if (first === '"' || first === "'") {
    const quoted = readQuoted(text, 0);
    return quoted === UNSUPPORTED || !isBlankOrComment(text, quoted.end) ? UNSUPPORTED : quoted.value;
  }
  const comment = text.search(/ #/);
  return resolvePlain(comment === -1 ? text : text.slice(0, comment).trimEnd());
}

/** `key: rest` or `key:` split at its colon; undefined when the line is no mapping entry. */
function splitKey(text: string): { key: string; rest: string } | Unsupported | undefined {
  let key: string;
  let colon: number;
  if (text[0] === '"' || text[0] === "'") {
    const quoted = readQuoted(text, 0);
    if (quoted === UNSUPPORTED) return UNSUPPORTED;
    key = quoted.value;
    colon = quoted.end;
    if (text[colon] !== ":") return text.slice(colon).trimStart().startsWith(":") ? UNSUPPORTED : undefined;
  } else {
    colon = text.search(/:(?: |$)/);
    if (colon === -1) return undefined;
    key = text.slice(0, colon);
    if (!PLAIN_KEY.test(key) || resolvePlain(key) !== key) return UNSUPPORTED;
  }
  const after = text.slice(colon + 1);
  if (after !== "" && after[0] !== " ") return UNSUPPORTED;
  const rest = after.trimStart();
  return { key, rest: rest.startsWith("#") ? "" : rest };
}
