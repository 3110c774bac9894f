import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERROR_CANON, RunledgerError } from "../src/core/errors.js";
import { evaluateCheck, evaluateChecks, summarizeVerdict, toFiltrexSyntax } from "../src/checks/index.js";
import type { CheckContext, CheckSpec, CustomCheckFn } from "../src/checks/index.js";
import { compileJsonSchema } from "../src/checks/compile-json-schema.js";
import type { CheckSpec as OperatorCheckSpec, CustomCheckSpec as OperatorCustomCheckSpec } from "../src/checks/check-spec.js";

const FIXTURES = resolve(import.meta.dirname, "fixtures/checks");
const ctx: CheckContext = { dir: FIXTURES };
const BARS_OK = "high >= low && volume >= 0";

const check = (spec: CheckSpec, dir = FIXTURES) => evaluateCheck(spec, { dir });

async function expectInvalid(spec: unknown, detail: RegExp): Promise<void> {
  const error = (await evaluateCheck(spec as CheckSpec, ctx).catch((e: unknown) => e)) as RunledgerError;
  expect(error).toBeInstanceOf(RunledgerError);
  expect(error).toMatchObject({ code: "ERR_CHECK_INVALID", message: expect.stringContaining(ERROR_CANON.ERR_CHECK_INVALID.fragment) });
  expect(error.message).toMatch(detail);
}

/** A killed child may linger as a zombie until something reaps it; a zombie is not alive. */
async function isAlive(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "runledger-checks-"));
  await mkdir(join(scratch, "outputs"));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe("nonEmpty", () => {
  it("passes a file with bytes and names the check after its path", async () => {
    const result = await check({ nonEmpty: "outputs/notes.txt" });
    expect(result).toEqual({ name: "nonEmpty:outputs/notes.txt", kind: "nonEmpty", result: "PASS", evidence: { bytes: 17 } });
  });
  it("fails an empty file, a missing one and a directory, without throwing", async () => {
    expect((await check({ nonEmpty: "outputs/empty.txt" })).evidence).toEqual({ bytes: 0, reason: "empty" });
    expect(await check({ nonEmpty: "outputs/nope.txt" })).toMatchObject({ result: "FAIL", evidence: { reason: "missing" } });
    expect((await check({ nonEmpty: "outputs" })).evidence).toMatchObject({ reason: "not a file" });
  });
});

describe("paths stay inside the directory", () => {
  it.each(["../checks.test.ts", "outputs/../../checks.test.ts", resolve(FIXTURES, "outputs/notes.txt")])("fails %s", async (path) => {
    expect(await check({ nonEmpty: path })).toMatchObject({ result: "FAIL", evidence: { reason: "path escapes dir" } });
  });
  it("fails a symlink that points outside", async () => {
    await symlink(resolve(FIXTURES, "outputs/notes.txt"), join(scratch, "outputs/link.txt"));
    expect((await check({ rowCount: { path: "outputs/link.txt", min: 1 } }, scratch)).evidence).toMatchObject({ reason: "path escapes dir" });
  });
});

describe("jsonSchema", () => {
  const properties = { symbol: { type: "string" }, bars: { type: "integer", minimum: 0 }, range: { type: "object", required: ["from", "to"] } };
  const schema = { type: "object", required: ["symbol", "bars", "range"], properties };
  it("passes a matching document", async () => {
    const result = await check({ jsonSchema: { path: "outputs/report.json", schema } });
    expect(result).toMatchObject({ name: "jsonSchema:outputs/report.json", result: "PASS", evidence: { documents: 1, totalErrors: 0 } });
  });
  it("fails with every error and its instancePath, and fails text that is not JSON", async () => {
    const result = await check({ jsonSchema: { path: "outputs/report-bad.json", schema } });
    expect(result).toMatchObject({ result: "FAIL", evidence: { totalErrors: 3 } });
    const errors = (result.evidence.errors as { instancePath: string; keyword: string }[]).map((e) => `${e.instancePath} ${e.keyword}`);
    expect(errors.sort()).toEqual(["/bars minimum", "/range required", "/symbol type"]);
    expect((await check({ jsonSchema: { path: "outputs/notes.txt", schema } })).evidence.errors).toEqual([expect.objectContaining({ keyword: "json" })]);
  });
  it("validates every line of a JSONL file and names the line", async () => {
    const line = { type: "object", required: ["qty"], properties: { qty: { type: "number", exclusiveMinimum: 0 } } };
    expect((await check({ jsonSchema: { path: "outputs/trades.jsonl", schema: line } })).evidence).toMatchObject({ documents: 3, totalErrors: 0 });
    const bad = await check({ jsonSchema: { path: "outputs/trades-bad.jsonl", schema: line } });
    expect(bad.result).toBe("FAIL");
    expect(bad.evidence.errors).toEqual([
      expect.objectContaining({ line: 2, instancePath: "/qty", keyword: "exclusiveMinimum" }),
      expect.objectContaining({ line: 3, instancePath: "", keyword: "required" }),
    ]);
  });
  it("compiles a 2020-12 schema once, whatever its key order", async () => {
    const [$schema, $id] = ["https://json-schema.org/draft/2020-12/schema", "https://example.com/report.schema.json"];
    const a = compileJsonSchema({ $schema, $id, type: "object", required: ["symbol"] });
    expect(compileJsonSchema({ required: ["symbol"], type: "object", $id, $schema })).toBe(a);
    expect(compileJsonSchema({ $id, type: "array" })).not.toBe(a);
  });
  it("rejects a schema that does not compile", () =>
    expectInvalid({ jsonSchema: { path: "outputs/report.json", schema: { type: "nonsense" } } }, /does not compile/));
});

describe("rowCount", () => {
  it("counts lines, JSON lines and CSV data rows", async () => {
    const count = async (path: string) => (await check({ rowCount: { path, min: 1 } })).evidence.rows;
    expect(await count("outputs/notes.txt")).toBe(3);
    expect(await count("outputs/trades.jsonl")).toBe(3);
    expect(await count("outputs/bars.csv")).toBe(5);
  });
  it("treats min and max as inclusive", async () => {
    expect((await check({ rowCount: { path: "outputs/bars.csv", min: 5, max: 5 } })).result).toBe("PASS");
    const few = await check({ rowCount: { path: "outputs/bars.csv", min: 6 } });
    expect(few).toMatchObject({ result: "FAIL", evidence: { rows: 5, min: 6, reason: "too few rows" } });
    expect((await check({ rowCount: { path: "outputs/notes.txt", max: 2 } })).evidence).toMatchObject({ reason: "too many rows" });
  });
  it("rejects min greater than max", () => expectInvalid({ rowCount: { path: "outputs/bars.csv", min: 3, max: 2 } }, /greater than/));
});

describe("rows", () => {
  it("passes market bars where every bar holds", async () => {
    const result = await check({ rows: { path: "outputs/bars.csv", expr: BARS_OK } });
    expect(result).toEqual({ name: "rows:outputs/bars.csv", kind: "rows", result: "PASS", evidence: { rowsChecked: 5, failingRows: 0, failures: [] } });
  });
  it("fails the broken bar and names its line", async () => {
    const result = await check({ rows: { path: "outputs/bars-broken.csv", expr: BARS_OK } });
    expect(result).toMatchObject({ result: "FAIL", evidence: { rowsChecked: 4, failingRows: 1 } });
    expect(result.evidence.failures).toEqual([
      { line: 4, reason: "expression is false", row: { date: "2024-01-04", open: 103, high: 100.1, low: 101.5, close: 102.2, volume: 87000 } },
    ]);
  });
  it("fails a row with NaN even when the expression does not use the field", async () => {
    const result = await check({ rows: { path: "outputs/bars-nan.csv", expr: BARS_OK } });
    expect(result.result).toBe("FAIL");
    const failure = { line: 3, reason: 'field "close" is NaN', row: expect.objectContaining({ close: "NaN" }) };
    expect(result.evidence.failures).toEqual([failure]);
    expect(JSON.parse(JSON.stringify(result.evidence))).toEqual(result.evidence);
  });
  it("checks JSONL rows, including missing fields", async () => {
    const expr = 'qty > 0 && price > 0 && (side == "buy" || side == "sell")';
    expect((await check({ rows: { path: "outputs/trades.jsonl", expr } })).evidence).toMatchObject({ rowsChecked: 3, failingRows: 0 });
    const bad = await check({ rows: { path: "outputs/trades-bad.jsonl", expr } });
    expect(bad.evidence.failures).toEqual([
      expect.objectContaining({ line: 2, reason: "expression is false" }),
      expect.objectContaining({ line: 3, reason: 'missing field "qty"' }),
    ]);
  });
  it("supports !, arithmetic and parentheses, translated outside quotes, and fails a non-boolean value", async () => {
    const path = "outputs/bars.csv";
    expect((await check({ rows: { path, expr: "!(high < low) && (high - low) / low < 0.1" } })).result).toBe("PASS");
    expect((await check({ rows: { path, expr: "high != low" } })).result).toBe("PASS");
    const numeric = await check({ rows: { path, expr: "high - low" } });
    expect(numeric.evidence.failures).toContainEqual(expect.objectContaining({ reason: expect.stringContaining("not a boolean") }));
    expect(toFiltrexSyntax('a && !b || c !== "x && y"')).toBe('a  and   not b  or  c != "x && y"');
  });
  it("rejects an expression that does not parse and a file it cannot read", async () => {
    await expectInvalid({ rows: { path: "outputs/bars.csv", expr: "high >= && low" } }, /does not parse/);
    await expectInvalid({ rows: { path: "outputs/notes.txt", expr: "true" } }, /\.csv or \.jsonl/);
  });
  it("streams a 200,000-row CSV", async () => {
    const out = createWriteStream(join(scratch, "outputs/big.csv"));
    out.write("date,open,high,low,close,volume\n");
    for (let i = 0, low = 100; i < 200_000; i++, low = 100 + (i % 50)) {
      if (!out.write(`2024-01-01,${low + 1},${low + 2},${low},${low + 1.5},${i}\n`)) await once(out, "drain");
    }
    await new Promise((done) => out.end(done));
    const result = await check({ rows: { path: "outputs/big.csv", expr: BARS_OK } }, scratch);
    expect(result).toMatchObject({ result: "PASS", evidence: { rowsChecked: 200_000, failingRows: 0 } });
  });
});

describe("command", () => {
  it("maps exit 0 to PASS, a declared code to WARN, anything else to FAIL", async () => {
    expect((await check({ command: { run: ["true"] } })).result).toBe("PASS");
    const warn = await check({ command: { run: "echo careful >&2; exit 3", warnExit: [3] } });
    expect(warn).toMatchObject({ name: "command:echo careful >&2; exit 3", result: "WARN", evidence: { exitCode: 3, stderrTail: "careful\n" } });
    expect(await check({ command: { run: "exit 1", warnExit: [3] } })).toMatchObject({ result: "FAIL", evidence: { exitCode: 1, reason: "exit code 1" } });
  });
  it("runs in the directory with a minimal environment plus ctx.env", async () => {
    process.env.RUNLEDGER_CHECKS_LEAK = "leaked";
    const run = 'test -f outputs/notes.txt && echo "$ONLY|$RUNLEDGER_CHECKS_LEAK"';
    const result = await evaluateCheck({ command: { run } }, { dir: FIXTURES, env: { ONLY: "given" } }).finally(() => delete process.env.RUNLEDGER_CHECKS_LEAK);
    expect(result).toMatchObject({ result: "PASS", evidence: { stdoutTail: "given|\n" } });
  });
  it("keeps only the last 2 KiB of output", async () => {
    const result = await check({ command: { run: ["node", "-e", "process.stdout.write('a'.repeat(3000) + 'z'.repeat(2000))"] } });
    expect(result.evidence).toMatchObject({ stdoutBytes: 5000, stdoutTail: "a".repeat(48) + "z".repeat(2000) });
  });
  it("fails a program that does not exist", async () => {
    expect(await check({ command: { run: ["runledger-no-such-program"] } })).toMatchObject({ result: "FAIL", evidence: { reason: "spawn failed" } });
  });
  it("kills the whole process group on timeout", async () => {
    const started = Date.now();
    const result = await evaluateCheck({ command: { run: "sleep 30 & echo $! > outputs/sleep.pid; wait" } }, { dir: scratch, timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result).toMatchObject({ result: "FAIL", evidence: { reason: "timed out", timedOut: true, timeoutMs: 300, signal: "SIGKILL" } });
    const pid = Number(await readFile(join(scratch, "outputs/sleep.pid"), "utf8"));
    await expect.poll(() => isAlive(pid), { timeout: 2_000 }).toBe(false);
  });
  it("rejects an empty command", async () => {
    await expectInvalid({ command: { run: [] } }, /command\.run/);
    await expectInvalid({ command: { run: "true", warnExit: [256] } }, /warnExit/);
  });
});

describe("custom", () => {
  it("accepts a bare verdict or a verdict with evidence, and reads inside the directory", async () => {
    expect(await check({ custom: { name: "always", fn: () => "WARN" } })).toEqual({ name: "always", kind: "custom", result: "WARN", evidence: {} });
    const fn: CustomCheckFn = async ({ readJson }) => {
      const report = (await readJson("outputs/report.json")) as { symbol: string };
      return { result: report.symbol === "ACME" ? "PASS" : "FAIL", evidence: { symbol: report.symbol } };
    };
    expect(await check({ custom: { name: "report-symbol", fn } })).toMatchObject({ result: "PASS", evidence: { symbol: "ACME" } });
  });
  it("accepts the operator definition's { verdict, message } answer and lists outputs/", async () => {
    const fn: OperatorCustomCheckSpec["custom"]["fn"] = ({ outputs, outputsDir }) => ({
      verdict: "WARN",
      message: "m",
      evidence: { dir: outputsDir, notes: outputs["outputs/notes.txt"] ?? null },
    });
    const spec: OperatorCustomCheckSpec = { custom: { name: "theirs", fn } };
    expect(await check(spec)).toMatchObject({
      result: "WARN",
      evidence: { message: "m", dir: join(FIXTURES, "outputs"), notes: join(FIXTURES, "outputs/notes.txt") },
    });
  });
  it("turns a thrown error, an escaping read or a bad answer into FAIL", async () => {
    const boom: CustomCheckFn = () => {
      throw new Error("kaboom");
    };
    expect(await check({ custom: { name: "boom", fn: boom } })).toMatchObject({ result: "FAIL", evidence: { message: "kaboom" } });
    const escape = await check({ custom: { name: "escape", fn: async ({ readText }) => ((await readText("../checks.test.ts")) ? "PASS" : "FAIL") } });
    expect(escape).toMatchObject({ result: "FAIL", evidence: { message: expect.stringContaining("path escapes dir") } });
    expect(await check({ custom: { name: "bad", fn: () => ({ result: "PASS", evidence: { x: Number.NaN } }) } })).toMatchObject({
      result: "FAIL",
      evidence: { reason: "invalid evidence" },
    });
  });
  it("fails a custom check that outlives its time limit", async () => {
    const result = await evaluateCheck({ custom: { name: "slow", fn: () => new Promise(() => {}) } }, { dir: FIXTURES, timeoutMs: 50 });
    expect(result).toMatchObject({ result: "FAIL", evidence: { reason: "timed out" } });
  });
});

describe("spec validation", () => {
  it("rejects an unknown kind with the canon fragment", () => expectInvalid({ lineCount: "outputs/notes.txt" }, /unknown check kind "lineCount"/));
  it("rejects specs with no or several kinds and bad shapes", async () => {
    await expectInvalid({}, /exactly one key/);
    await expectInvalid({ nonEmpty: "outputs/a", rowCount: { path: "outputs/a" } }, /exactly one key/);
    await expectInvalid({ rowCount: { path: "outputs/a", min: -1 } }, /non-negative integer/);
    await expectInvalid({ rows: { path: "outputs/bars.csv", expr: "true", extra: 1 } }, /unknown field/);
    await expectInvalid("nonEmpty", /one key naming its kind/);
  });
});

describe("evaluateChecks and summarizeVerdict", () => {
  it("runs checks in order and the worst result wins", async () => {
    // Typed as the operator definition's specs: those must be accepted as they are.
    const specs: OperatorCheckSpec[] = [{ nonEmpty: "outputs/notes.txt" }, { command: { run: "exit 2", warnExit: [2] } }, { nonEmpty: "outputs/empty.txt" }];
    const results = await evaluateChecks(specs, ctx);
    expect(results.map((r) => r.result)).toEqual(["PASS", "WARN", "FAIL"]);
    expect(summarizeVerdict(results)).toBe("FAIL");
    expect(summarizeVerdict(results.slice(0, 2))).toBe("WARN");
    expect(summarizeVerdict([])).toBe("PASS");
  });
  it("validates every spec before running any", async () => {
    const marker = join(scratch, "outputs/ran.txt");
    const specs = [{ command: { run: ["touch", marker] } }, { bogus: 1 }] as unknown as CheckSpec[];
    await expect(evaluateChecks(specs, { dir: scratch })).rejects.toMatchObject({ code: "ERR_CHECK_INVALID" });
    await expect(readFile(marker)).rejects.toMatchObject({ code: "ENOENT" });
  });
  it("fails checks once the caller aborts", async () => {
    const controller = new AbortController();
    controller.abort();
    const specs: CheckSpec[] = [{ rows: { path: "outputs/bars.csv", expr: BARS_OK } }, { command: { run: ["true"] } }];
    const results = await evaluateChecks(specs, { dir: FIXTURES, signal: controller.signal });
    expect(results.map((r) => [r.result, r.evidence.reason])).toEqual([
      ["FAIL", "aborted"],
      ["FAIL", "aborted"],
    ]);
  });
  it("writes JSON-safe evidence and fails a CSV that does not parse", async () => {
    await writeFile(join(scratch, "outputs/inf.csv"), "a,b\n1,inf\n");
    const result = await check({ rows: { path: "outputs/inf.csv", expr: "a > 0" } }, scratch);
    expect(result.evidence.failures).toEqual([{ line: 2, reason: 'field "b" is Infinity', row: { a: 1, b: "Infinity" } }]);
    await writeFile(join(scratch, "outputs/broken.csv"), 'a,b\n1,"2\n');
    expect(await check({ rows: { path: "outputs/broken.csv", expr: "a > 0" } }, scratch)).toMatchObject({
      result: "FAIL",
      evidence: { reason: "csv parse error" },
    });
  });
});
