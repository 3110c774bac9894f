import canonicalize from "canonicalize";
import fc from "fast-check";
import { expectError } from "./support/expect-error.js";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../src/core/canonical-json.js";
import { fixedClock } from "../src/core/clock.js";
import { digestOf, isDigest, parseDigest, sha256 } from "../src/core/digest.js";
import { ERROR_CANON, ERROR_CODES, RunledgerError, toRunledgerError } from "../src/core/errors.js";
import { randomIds } from "../src/core/ids.js";
import { validationError } from "../src/core/validation-error.js";

const expectCode = (work: () => unknown, code: keyof typeof ERROR_CANON, detail?: string) => {
  const error = expectError(work, code);
  if (detail) expect(error.message).toContain(detail);
};

describe("canonical JSON (RFC 8785)", () => {
  it("matches the RFC's number and key-order vectors", () => {
    // eslint-disable-next-line no-loss-of-precision -- the RFC's own vector
    expect(canonicalJson({ numbers: [333333333.33333329, 1e30, 4.5, 2e-3, 0.000000000000000000000000001, -0] })).toBe(
      '{"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27,0]}',
    );
    const keys = { "\u20ac": 1, "\r": 2, "\ufb33": 3, "1": 4, "\ud83d\ude00": 5, "\u0080": 6, "\u00f6": 7 };
    expect(Object.keys(JSON.parse(canonicalJson(keys)))).toEqual(["1", "\r", "\u0080", "\u00f6", "\u20ac", "\ud83d\ude00", "\ufb33"]);
    expect(canonicalJson({ b: [1, { d: null, c: true }], a: "é\n" })).toBe('{"a":"é\\n","b":[1,{"c":true,"d":null}]}');
  });

  it("is byte-equal to the reference implementation on 10,000 random JSON values", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        expect(canonicalJson(value)).toBe(canonicalize(value));
      }),
      { numRuns: 10_000 },
    );
  });

  it("gives the same text whatever the key order", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })), (record) => {
        const reversed = Object.fromEntries(Object.entries(record).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(record));
      }),
      { numRuns: 1_000 },
    );
  });

  it("refuses what JSON cannot carry, naming the path", () => {
    expectCode(() => canonicalJson({ a: [1, Number.NaN] }), "ERR_CANONICAL_JSON", "$.a[1] is NaN");
    expectCode(() => canonicalJson({ a: Number.POSITIVE_INFINITY }), "ERR_CANONICAL_JSON", "$.a is Infinity");
    expectCode(() => canonicalJson(undefined), "ERR_CANONICAL_JSON", "$ is undefined");
    expectCode(() => canonicalJson([undefined]), "ERR_CANONICAL_JSON", "$[0] is undefined");
    expectCode(() => canonicalJson({ f: () => 1 }), "ERR_CANONICAL_JSON", "$.f is function");
    expectCode(() => canonicalJson({ n: 1n }), "ERR_CANONICAL_JSON", "$.n is bigint");
    expectCode(() => canonicalJson({ s: "a\ud800b" }), "ERR_CANONICAL_JSON", "$.s holds a lone surrogate");
  });

  it("orders integer-like keys as strings and applies toJSON, where native JSON would not", () => {
    expect(canonicalJson({ "10": 1, "9": 2, a: { "2": 0, "1": 0 } })).toBe('{"10":1,"9":2,"a":{"1":0,"2":0}}');
    expect(canonicalJson({ d: new Date(0) })).toBe('{"d":"1970-01-01T00:00:00.000Z"}');
  });

  it("skips undefined object members, as JSON does", () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
  });
});

describe("digests", () => {
  it("writes sha256:<hex> of the bytes", () => {
    expect(sha256("abc")).toBe("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(sha256(new Uint8Array([0x61, 0x62, 0x63]))).toBe(sha256("abc"));
    expect(isDigest(sha256(""))).toBe(true);
  });
  it("digests a value by its canonical JSON, independent of key order", () => {
    expect(digestOf({ a: 1, b: [2] })).toBe(digestOf({ b: [2], a: 1 }));
    expect(digestOf({ a: 1 })).toBe(sha256('{"a":1}'));
  });
  it("rejects malformed digests", () => {
    expectCode(() => parseDigest("sha256:ABC"), "ERR_DIGEST_INVALID");
    expectCode(() => parseDigest(`md5:${"0".repeat(64)}`), "ERR_DIGEST_INVALID");
    expect(parseDigest(sha256("x"))).toBe(sha256("x"));
  });
});

describe("ids and time", () => {
  it("makes random v4 UUIDs, unique and not derived from the clock", () => {
    const ids = Array.from({ length: 10_000 }, () => randomIds.next());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 100)) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
  it("a fixed clock always reads its instant and hands out copies", () => {
    const clock = fixedClock("2026-01-02T03:04:05.006Z");
    const first = clock.now();
    first.setFullYear(1999);
    expect(clock.now().toISOString()).toBe("2026-01-02T03:04:05.006Z");
    expect(() => fixedClock("not a time")).toThrow();
  });
});

describe("the error canon", () => {
  it("starts from seed 002's codes and gives every code a fragment, a kind and a hint", () => {
    for (const code of ["ERR_CI_SAFETY", "ERR_MISSING_SECRET", "ERR_OUTPUT_DUPLICATE", "ERR_TIMEOUT", "ERR_INPUTS"] as const) {
      expect(ERROR_CODES).toContain(code);
    }
    expect(ERROR_CANON.ERR_CI_SAFETY.fragment).toBe("Refusing to run mode=real in CI");
    for (const code of ERROR_CODES) {
      expect(code).toMatch(/^ERR_[A-Z_]+$/);
      expect(ERROR_CANON[code].fragment.length).toBeGreaterThan(3);
      expect(ERROR_CANON[code].hint.length).toBeGreaterThan(10);
    }
  });
  it("puts the fragment first in every message and keeps the detail", () => {
    const error = new RunledgerError("ERR_TIMEOUT", { detail: "after 30s" });
    expect(error.message).toBe("timed out: after 30s");
    expect(error.kind).toBe("failure");
    expect(new RunledgerError("ERR_USAGE").kind).toBe("input");
  });
  it("wraps foreign errors without losing them, and passes ours through", () => {
    const cause = new Error("disk on fire");
    const wrapped = toRunledgerError(cause, "ERR_STORAGE");
    expect(wrapped).toMatchObject({ code: "ERR_STORAGE", message: "storage failure: disk on fire", cause });
    expect(toRunledgerError(wrapped)).toBe(wrapped);
  });
});

describe("validation errors", () => {
  it("count their problems in one phrase, singular or plural, and carry every issue", () => {
    const issue = { code: "ERR_SCHEMA", path: ["tasks", "a"], message: "bad" } as const;
    expect(validationError([issue], "pipeline p")).toMatchObject({ code: "ERR_VALIDATION", detail: "1 problem in pipeline p", issues: [issue] });
    expect(validationError([issue, issue], "f.yaml", "ERR_CONFIG")).toMatchObject({ code: "ERR_CONFIG", detail: "2 problems in f.yaml" });
  });
});
