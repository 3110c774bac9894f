/** What a redacted value, URL password or Authorization credential is replaced with. */
export const REDACTED = "***";

/** Lines longer than this are redacted in pieces by a stream (URL and header patterns may then be missed at a piece's edge). */
const MAX_LINE = 64 * 1024;

/** `scheme://user:password@` in a URL: the password is masked, the user kept. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:/?#@"'<>]+):([^\s/?#@"'<>]+)@/gi;

/** An Authorization (or Proxy-Authorization) header or field: everything after the scheme is masked, to the end of the line or quote. */
const AUTHORIZATION = /(\bauthorization["']?\s*[:=]\s*["']?)(?:(basic|bearer|digest|token|negotiate|apikey|aws4-hmac-sha256)\s+)?[^\s"'][^\r\n"']*/gi;

/** A chunk-wise redactor for one stream: `push` returns what is safe to emit so far, `end` the rest. */
export interface RedactingStream {
  push(chunk: string): string;
  end(): string;
}

/**
 * Masks secret values, URL passwords and Authorization credentials in what runledger writes. Pure:
 * built from the values alone, it keeps no state between calls except inside a `stream()`.
 */
export interface Redactor {
  /** The text with every secret value, URL password and Authorization credential masked. */
  text(input: string): string;
  /**
   * A copy of a JSON-like value with every string in it (keys included) redacted as `text` does;
   * the value itself when no string in it needs masking (the common case, found without copying).
   */
  value<T>(input: T): T;
  /** A redactor for text arriving in chunks: a value split across two chunks is still masked. */
  stream(): RedactingStream;
  /** The same redactor for bytes read as latin1 strings (one char per byte), e.g. a captured stdout file. */
  latin1(): Redactor;
}

/**
 * A redactor for these secret values (empty values are ignored) and their encoded forms (see
 * `encodedForms`). Values are masked longest first, then URL credentials and Authorization headers;
 * with no values it still does the latter two.
 */
export function createRedactor(values: readonly string[]): Redactor {
  const given = values.filter((v) => v.length > 0);
  const encoded = given.flatMap(encodedForms);
  const asLatin1 = (): Redactor => {
    // Bytes read as latin1 are already one char per byte: reading them so again changes nothing.
    const redactor: Redactor = redactorOf([...given.map((s) => Buffer.from(s, "utf8").toString("latin1")), ...encoded], () => redactor);
    return redactor;
  };
  return redactorOf([...given, ...encoded], asLatin1);
}

/**
 * The forms a value commonly travels in besides itself, each of which gives the value away: its
 * UTF-8 bytes in hex (both cases), percent-encoded, and in base64 and base64url. A value inside a
 * longer base64 text is encoded differently at each of the three byte offsets it may start at, so
 * each offset contributes the characters that depend on the value's bytes alone. Short values
 * (under MIN_ENCODED_LENGTH) contribute none: their encodings would mask unrelated text.
 */
export function encodedForms(value: string): string[] {
  const bytes = Buffer.from(value, "utf8");
  if (bytes.length < MIN_ENCODED_LENGTH) return [];
  const forms = [bytes.toString("hex"), bytes.toString("hex").toUpperCase(), encodeURIComponent(value)];
  for (let offset = 0; offset < 3; offset++) {
    const padded = Buffer.concat([Buffer.alloc(offset), bytes]);
    // Characters wholly inside the value's bits: from ceil(8·offset/6) to floor(8·(offset+n)/6).
    const start = Math.ceil((8 * offset) / 6);
    const end = Math.floor((8 * (offset + bytes.length)) / 6);
    for (const encoding of ["base64", "base64url"] as const) forms.push(padded.toString(encoding).slice(start, end));
  }
  return [...new Set(forms)].filter((form) => form !== value);
}

/** Values shorter than this (in bytes) are masked as they are, but not in their encoded forms. */
const MIN_ENCODED_LENGTH = 8;

function redactorOf(values: readonly string[], latin1: () => Redactor): Redactor {
  const secrets = [...new Set(values.filter((v) => v.length > 0))].sort((a, b) => b.length - a.length);
  const maskSecrets = (text: string) => secrets.reduce((out, secret) => (out.includes(secret) ? out.split(secret).join(REDACTED) : out), text);
  // Most strings hold nothing to mask: a few substring searches tell so, before any copy or replace.
  const mayHold = (input: string) => secrets.some((secret) => input.includes(secret)) || PATTERN_HINT.test(input);
  const text = (input: string) => (mayHold(input) ? maskPatterns(maskSecrets(input)) : input);
  const value = <T>(input: T): T => (holdsString(input, mayHold) ? (deepRedact(input, text) as T) : input);
  return {
    text,
    value,
    stream: () => chain(secretStream(secrets, maskSecrets), lineStream()),
    latin1,
  };
}

/** Masks the two credential patterns; they never span a line. */
function maskPatterns(text: string): string {
  return text
    .replace(URL_CREDENTIALS, (_m, scheme: string, user: string) => `${scheme}${user}:${REDACTED}@`)
    .replace(AUTHORIZATION, (_m, head: string, scheme: string | undefined) => `${head}${scheme ? `${scheme} ` : ""}${REDACTED}`);
}

/** What both credential patterns need somewhere in a string: `://` (a URL) or the word authorization. */
const PATTERN_HINT = /:\/\/|authorization/i;

/** Whether any string in a JSON-like value (keys included) passes `test`. */
function holdsString(input: unknown, test: (s: string) => boolean): boolean {
  if (typeof input === "string") return test(input);
  if (Array.isArray(input)) return input.some((item) => holdsString(item, test));
  if (input !== null && typeof input === "object") {
    for (const key in input) if (test(key) || holdsString((input as Record<string, unknown>)[key], test)) return true;
  }
  return false;
}

function deepRedact(input: unknown, text: (s: string) => string): unknown {
  if (typeof input === "string") return text(input);
  if (Array.isArray(input)) return input.map((item) => deepRedact(item, text));
  if (input !== null && typeof input === "object") {
    return Object.fromEntries(Object.entries(input).map(([k, v]) => [text(k), deepRedact(v, text)]));
  }
  return input;
}

/**
 * Stage one: masks secret values exactly, whatever the chunking. It holds back the last
 * (longest value − 1) chars, so any value starting in what it emits is whole in its buffer, and
 * moves the cut past any value that straddles it.
 */
function secretStream(secrets: readonly string[], mask: (text: string) => string): RedactingStream {
  const hold = Math.max(0, (secrets[0]?.length ?? 0) - 1);
  let buffer = "";
  return {
    push(chunk) {
      buffer += chunk;
      let cut = buffer.length - hold;
      if (cut <= 0) return "";
      for (let moved = true; moved;) {
        moved = false;
        for (const secret of secrets) {
          for (let at = buffer.indexOf(secret, Math.max(0, cut - secret.length + 1)); at !== -1 && at < cut; at = buffer.indexOf(secret, at + 1)) {
            if (at + secret.length > cut) {
              cut = at + secret.length;
              moved = true;
            }
          }
        }
      }
      const out = buffer.slice(0, cut);
      buffer = buffer.slice(cut);
      return mask(out);
    },
    end() {
      const out = buffer;
      buffer = "";
      return mask(out);
    },
  };
}

/** Stage two: masks the line-bound patterns a whole line at a time (a piece at a time past MAX_LINE). */
function lineStream(): RedactingStream {
  let buffer = "";
  return {
    push(chunk) {
      buffer += chunk;
      let cut = buffer.lastIndexOf("\n") + 1;
      if (buffer.length - cut > MAX_LINE) cut = buffer.length;
      const out = buffer.slice(0, cut);
      buffer = buffer.slice(cut);
      return maskPatterns(out);
    },
    end() {
      const out = buffer;
      buffer = "";
      return maskPatterns(out);
    },
  };
}

function chain(first: RedactingStream, second: RedactingStream): RedactingStream {
  return {
    push: (chunk) => second.push(first.push(chunk)),
    end: () => second.push(first.end()) + second.end(),
  };
}
