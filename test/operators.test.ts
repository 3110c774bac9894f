import { expectError } from "./support/expect-error.js";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { RunledgerError, type Issue } from "../src/core/errors.js";
import { CHECK_KINDS, CheckSpecSchema } from "../src/checks/index.js";
import {
  checkSpecIssues,
  compareVersions,
  defineOperator,
  normalizeOutputPath,
  operatorCodeDigest,
  OperatorRegistry,
  validateOperator,
} from "../src/operators/index.js";
import { parseDuration } from "../src/core/index.js";

/** Runs `work`, expects ERR_VALIDATION, and returns its issues as `code path` lines. */
function validationIssues(work: () => unknown): string[] {
  return expectError(work, "ERR_VALIDATION").issues.map((issue: Issue) => `${issue.code} ${issue.path.join(".")}`);
}

const greet = () =>
  defineOperator({
    id: "greet",
    version: "1.0.0",
    input: z.object({ name: z.string() }),
    outputs: ["outputs/greeting.txt"],
    checks: [{ nonEmpty: "outputs/greeting.txt" }],
    timeout: "30s",
    run: (ctx) => ({ next: `greeted ${ctx.params.name}` }),
  });

describe("defineOperator", () => {
  it("returns a frozen definition with defaults applied", () => {
    const op = greet();
    expect(op).toMatchObject({
      id: "greet",
      version: "1.0.0",
      ref: "greet@1.0.0",
      kind: "function",
      modes: ["PIPELINE"],
      outputs: ["outputs/greeting.txt"],
      timeoutMs: 30_000,
      retries: 0,
      env: {},
      effects: [],
      secrets: [],
      evidence: [],
    });
    expect(Object.isFrozen(op)).toBe(true);
    expect(Object.isFrozen(op.outputs)).toBe(true);
    expect(op.input.safeParse({ name: "ada" }).success).toBe(true);
  });

  it("infers kind command, runs a string command with sh -c, and defaults to an input that takes no params", () => {
    const op = defineOperator({
      id: "touch",
      version: "2",
      command: "touch outputs/x",
      outputs: ["outputs/./x"],
      checks: [{ nonEmpty: "outputs/x" }],
      timeout: 1000,
    });
    expect(op.kind).toBe("command");
    expect(op.command).toEqual(["sh", "-c", "touch outputs/x"]);
    expect(op.outputs).toEqual(["outputs/x"]);
    expect(op.input.safeParse({}).success).toBe(true);
    expect(op.input.safeParse({ surprise: 1 }).success).toBe(false);
  });

  it("requires a timebox from TypeScript authors: a missing timeout is ERR_NO_TIMEBOX", () => {
    expect(validationIssues(() => defineOperator({ id: "slow", version: "1", checks: [{ nonEmpty: "outputs/a" }], run: () => undefined }))).toEqual([
      "ERR_NO_TIMEBOX timeout",
    ]);
  });

  it("reports every problem of an operator at once", () => {
    const issues = validationIssues(() =>
      defineOperator({
        id: "-bad id",
        version: "1",
        modes: [],
        outputs: ["../x", "/etc/passwd", "result.txt", "outputs/a", "outputs//a/"],
        checks: [],
        timeout: "30 parsecs",
        retries: -1,
        env: { RUNLEDGER_RUN_ID: "x", "2BAD": "y" },
        run: () => undefined,
      }),
    );
    expect(issues).toEqual([
      "ERR_SCHEMA id",
      "ERR_SCHEMA timeout",
      "ERR_MODE_ILLEGAL modes",
      "ERR_OUTPUT_OUTSIDE outputs.0",
      "ERR_OUTPUT_OUTSIDE outputs.1",
      "ERR_OUTPUT_OUTSIDE outputs.2",
      "ERR_OUTPUT_DUPLICATE outputs.4",
      "ERR_NO_CHECK checks",
      "ERR_SCHEMA retries",
      "ERR_SCHEMA env.RUNLEDGER_RUN_ID",
      "ERR_SCHEMA env.2BAD",
    ]);
  });

  it("rejects invalid checks and a missing body", () => {
    const issues = validationIssues(() =>
      defineOperator({
        id: "checky",
        version: "1",
        kind: "function",
        timeout: "1m",
        checks: [{ nonEmtpy: "outputs/a" } as never, { rowCount: { path: "outputs/a", min: 5, max: 1 } }, { custom: { name: "", fn: "nope" } } as never],
      }),
    );
    expect(issues).toEqual([
      "ERR_SCHEMA run",
      "ERR_CHECK_INVALID checks.0.nonEmtpy",
      "ERR_CHECK_INVALID checks.1.rowCount",
      "ERR_CHECK_INVALID checks.2.custom.name",
      "ERR_CHECK_INVALID checks.2.custom.fn",
    ]);
  });
});

describe("check specs", () => {
  it("names the kinds and parses the JSON-able ones", () => {
    expect(CHECK_KINDS).toEqual(["nonEmpty", "jsonSchema", "rowCount", "rows", "command", "custom"]);
    expect(CheckSpecSchema.safeParse({ rows: { path: "outputs/a.csv", expr: "price > 0" } }).success).toBe(true);
    expect(CheckSpecSchema.safeParse({ command: { run: ["test", "-s", "outputs/a"], warnExit: [3] } }).success).toBe(true);
    expect(CheckSpecSchema.safeParse({ nonEmpty: "outputs/a", rows: { path: "x", expr: "y" } }).success).toBe(false);
    expect(CheckSpecSchema.safeParse({ custom: { name: "x" } }).success).toBe(false);
  });

  it("explains what is wrong with a check, with paths", () => {
    expect(checkSpecIssues({ jsonSchema: { path: "outputs/a.json", schema: {}, strict: true } }, ["checks", 0])).toEqual([
      { code: "ERR_CHECK_INVALID", path: ["checks", 0, "jsonSchema", "strict"], message: 'unknown key "strict"; expected one of path, schema' },
    ]);
    expect(checkSpecIssues({})[0]?.message).toContain("exactly one kind");
    expect(checkSpecIssues({ command: { run: "test -s x", warnExit: [0] } })[0]?.path).toEqual(["command", "warnExit", 0]);
    // The checks engine has the last word: rows reads only .csv and .jsonl files.
    expect(checkSpecIssues({ rows: { path: "outputs/a.txt", expr: "x > 0" } })).toEqual([
      { code: "ERR_CHECK_INVALID", path: ["rows"], message: expect.stringContaining(".csv or .jsonl") },
    ]);
    expect(checkSpecIssues({ custom: { name: "ok", fn: () => "PASS" } })).toEqual([]);
  });
});

describe("parseDuration", () => {
  it("reads numbers as milliseconds and unit strings", () => {
    expect([
      parseDuration(250),
      parseDuration("250ms"),
      parseDuration("30s"),
      parseDuration("5m"),
      parseDuration("1h"),
      parseDuration("1h30m"),
      parseDuration("1.5s"),
      parseDuration("2d"),
    ]).toEqual([250, 250, 30_000, 300_000, 3_600_000, 5_400_000, 1500, 172_800_000]);
  });

  it.each(["30 parsecs", "", "30", "1h30", "-5s", "s"])("rejects %j with ERR_SCHEMA", (text) => {
    expect(() => parseDuration(text)).toThrow(expect.objectContaining({ code: "ERR_SCHEMA", message: expect.stringContaining("invalid duration") }));
  });

  it("rejects negative and non-finite numbers", () => {
    expect(() => parseDuration(-1)).toThrow(RunledgerError);
    expect(() => parseDuration(Number.POSITIVE_INFINITY)).toThrow(RunledgerError);
  });
});

describe("normalizeOutputPath", () => {
  it("canonicalizes paths inside outputs/ and refuses the rest", () => {
    expect(normalizeOutputPath("outputs/./a//b/")).toBe("outputs/a/b");
    for (const bad of ["outputs", "outputs/", "outputs/../x", "../outputs/x", "/outputs/x", "x/outputs/y", "outputs\\x"])
      expect(normalizeOutputPath(bad)).toBeUndefined();
  });
});

describe("operatorCodeDigest", () => {
  const make = (run: () => void, extra: { env?: Record<string, string>; mock?: () => void } = {}) =>
    defineOperator({ id: "digest", version: "1", checks: [{ nonEmpty: "outputs/a" }], timeout: "1s", run, ...extra });

  it("is stable for the same definition and changes when a function body changes", () => {
    const a = make(() => {
      console.log("one");
    });
    const b = make(() => {
      console.log("one");
    });
    const c = make(() => {
      console.log("two");
    });
    expect(operatorCodeDigest(a)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(operatorCodeDigest(a)).toBe(operatorCodeDigest(b));
    expect(operatorCodeDigest(c)).not.toBe(operatorCodeDigest(a));
  });

  it("changes with the mock, the declared env, a custom check's body and the command", () => {
    const run = () => undefined;
    const base = operatorCodeDigest(make(run));
    expect(operatorCodeDigest(make(run, { mock: () => undefined }))).not.toBe(base);
    expect(operatorCodeDigest(make(run, { env: { MODE: "fast" } }))).not.toBe(base);
    const withCheck = (verdict: "PASS" | "WARN") =>
      defineOperator({ id: "digest", version: "1", checks: [{ custom: { name: "c", fn: () => verdict } }], timeout: "1s", run });
    const command = (argv: string) => defineOperator({ id: "c", version: "1", command: argv, checks: [{ nonEmpty: "outputs/a" }], timeout: "1s" });
    expect(operatorCodeDigest(withCheck("PASS"))).toBe(operatorCodeDigest(withCheck("WARN"))); // same source text: the closure value is not covered
    expect(operatorCodeDigest(command("echo 1"))).not.toBe(operatorCodeDigest(command("echo 2")));
  });
});

describe("OperatorRegistry", () => {
  const version = (v: string) => defineOperator({ id: "score", version: v, checks: [{ nonEmpty: "outputs/s" }], timeout: "1s", run: () => undefined });

  it("registers, gets, lists and resolves a bare id to the highest version", () => {
    const registry = new OperatorRegistry();
    for (const v of ["1.9.0", "1.10.0", "1.2", "2.0.0-rc.1"]) registry.register(version(v));
    registry.register(greet());
    expect(registry.get("score@1.9.0")?.version).toBe("1.9.0");
    expect(registry.get("score@9")).toBeUndefined();
    expect(registry.resolve("score")?.ref).toBe("score@2.0.0-rc.1");
    registry.register(version("2.0.0"));
    expect(registry.resolve("score")?.ref).toBe("score@2.0.0");
    expect(registry.resolve("score@1.2")?.ref).toBe("score@1.2");
    expect(registry.resolve("nothing")).toBeUndefined();
    expect(registry.list().map((op) => op.ref)).toEqual(["greet@1.0.0", "score@1.2", "score@1.9.0", "score@1.10.0", "score@2.0.0-rc.1", "score@2.0.0"]);
  });

  it("refuses a second operator with the same ref (ERR_SCHEMA)", () => {
    const registry = new OperatorRegistry();
    registry.register(version("1.0.0"));
    expect(() => registry.register(version("1.0.0"))).toThrow(
      expect.objectContaining({ code: "ERR_SCHEMA", message: expect.stringContaining("already registered") }),
    );
  });

  it("compares versions semver-style", () => {
    const sorted = ["1.0.0", "0.9", "1.0.0-alpha", "1.0.0-alpha.2", "1.0.0-alpha.10", "1.0.0-beta", "1.0", "10.0.0", "2.0.0+build.5"].sort(compareVersions);
    expect(sorted).toEqual(["0.9", "1.0", "1.0.0-alpha", "1.0.0-alpha.2", "1.0.0-alpha.10", "1.0.0-beta", "1.0.0", "2.0.0+build.5", "10.0.0"]);
    expect(compareVersions("2.0.0+a", "2.0.0+b")).toBe(0);
  });
});

describe("validateOperator", () => {
  it("prefixes paths with the given base", () => {
    const op = { ...greet(), checks: [] };
    expect(validateOperator(op, ["tasks", "hello"])).toEqual([
      { code: "ERR_NO_CHECK", path: ["tasks", "hello", "checks"], message: expect.stringContaining("greet@1.0.0 has no acceptance check") },
    ]);
  });
});
