import { readQuoted, resolvePlain, setKey, UNSUPPORTED, type Unsupported } from "./simple-yaml-scalars.js";

type Read = { value: unknown; end: number } | Unsupported;

const FLOW_PLAIN_END = /[,[\]{}]/g;
const PLAIN_KEY = /^[A-Za-z0-9_$./][\w$./-]*$/;
const MAX_DEPTH = 32;

/**
 * A flow collection (`[a, b]`, `{ nonEmpty: out.txt }`) that opens and closes on one line, starting
 * at `text[start]`; its value and the index after it, or UNSUPPORTED for anything more (empty
 * entries, trailing commas, `key:value` without a space, comments, multi-line collections).
 */
export function readFlow(text: string, start: number, depth = 0): Read {
  if (depth > MAX_DEPTH) return UNSUPPORTED;
  return text[start] === "[" ? readFlowSequence(text, start, depth) : readFlowMapping(text, start, depth);
}

function readFlowSequence(text: string, start: number, depth: number): Read {
  const items: unknown[] = [];
  let at = skipSpaces(text, start + 1);
  if (text[at] === "]") return { value: items, end: at + 1 };
  for (;;) {
    const item = readFlowValue(text, at, depth);
    if (item === UNSUPPORTED) return UNSUPPORTED;
    items.push(item.value);
    at = skipSpaces(text, item.end);
    if (text[at] === "]") return { value: items, end: at + 1 };
    if (text[at] !== ",") return UNSUPPORTED;
    at = skipSpaces(text, at + 1);
  }
}

function readFlowMapping(text: string, start: number, depth: number): Read {
  const map: Record<string, unknown> = {};
  let at = skipSpaces(text, start + 1);
  if (text[at] === "}") return { value: map, end: at + 1 };
  for (;;) {
    const key = readFlowKey(text, at);
    if (key === UNSUPPORTED || Object.hasOwn(map, key.value) || key.value === "<<") return UNSUPPORTED;
    const value = readFlowValue(text, skipSpaces(text, key.end), depth);
    if (value === UNSUPPORTED) return UNSUPPORTED;
    setKey(map, key.value, value.value);
    at = skipSpaces(text, value.end);
    if (text[at] === "}") return { value: map, end: at + 1 };
    if (text[at] !== ",") return UNSUPPORTED;
    at = skipSpaces(text, at + 1);
  }
}

/** A key and the `: ` after it; `end` is past the colon. */
function readFlowKey(text: string, at: number): { value: string; end: number } | Unsupported {
  let key: string;
  let end: number;
  if (text[at] === '"' || text[at] === "'") {
    const quoted = readQuoted(text, at);
    if (quoted === UNSUPPORTED) return UNSUPPORTED;
    key = quoted.value;
    end = quoted.end;
  } else {
    const colon = text.indexOf(":", at);
    if (colon === -1) return UNSUPPORTED;
    key = text.slice(at, colon);
    end = colon;
    if (!PLAIN_KEY.test(key) || resolvePlain(key) !== key) return UNSUPPORTED;
  }
  return text[end] === ":" && text[end + 1] === " " ? { value: key, end: end + 2 } : UNSUPPORTED;
}

/** A nested collection, a quoted scalar, or a plain scalar up to the next `,`, bracket or brace. */
function readFlowValue(text: string, at: number, depth: number): Read {
  const first = text[at];
  if (first === "[" || first === "{") return readFlow(text, at, depth + 1);
  if (first === '"' || first === "'") return readQuoted(text, at);
  FLOW_PLAIN_END.lastIndex = at;
  const stop = FLOW_PLAIN_END.exec(text);
  if (stop === null) return UNSUPPORTED;
  const plain = text.slice(at, stop.index).trimEnd();
  if (plain === "" || plain.includes(":") || plain.includes("#")) return UNSUPPORTED;
  const value = resolvePlain(plain);
  return value === UNSUPPORTED ? UNSUPPORTED : { value, end: stop.index };
}

function skipSpaces(text: string, at: number): number {
  while (text[at] === " ") at++;
  return at;
}
