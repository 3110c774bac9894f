import { mkdtempSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expectErrorAsync } from "./support/expect-error.js";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { RunledgerError } from "../src/core/errors.js";
import { ERROR_CANON } from "../src/core/errors.js";
import { defineOperator, operatorCodeDigest, OperatorRegistry, type OperatorDefinition } from "../src/operators/index.js";
import {
  assertValidPipeline,
  definePipeline,
  loadPipelineFile,
  loadPipelineYaml,
  pipelineDigest,
  planPipeline,
  validatePipeline,
  type PipelineDefinition,
} from "../src/pipelines/index.js";

const FIXTURES = resolve(import.meta.dirname, "fixtures/pipelines");
const fixture = (name: string) => join(FIXTURES, name);

/** Runs `work` (sync or async), expects ERR_VALIDATION, and returns the error. */
const validationError = (work: () => unknown) => expectErrorAsync(work, "ERR_VALIDATION");

const codesAndPaths = (error: RunledgerError) => error.issues.map((issue) => `${issue.code} ${issue.path.join(".")}`);

const op = (id: string, extra: Partial<Parameters<typeof defineOperator>[0]> = {}) =>
  defineOperator({
    id,
    version: "1.0.0",
    outputs: [`outputs/${id}.txt`],
    checks: [{ nonEmpty: `outputs/${id}.txt` }],
    timeout: "10s",
    run: () => undefined,
    ...extra,
  });

describe("loadPipelineYaml", () => {
  it("loads the hello example into the expected definition", async () => {
    const def = await loadPipelineFile(fixture("hello.yaml"));
    expect(def).toMatchObject({ name: "hello", mode: "PIPELINE", cache: true, source: fixture("hello.yaml") });
    expect(def.runMode).toBeUndefined();
    expect(Object.keys(def.tasks)).toEqual(["numbers", "total"]);
    expect(def.tasks["numbers"]).toMatchObject({ name: "numbers", needs: [], critical: false, params: {}, allowWarn: false });
    expect(def.tasks["total"]).toMatchObject({ name: "total", needs: ["numbers"], critical: true, params: {}, allowWarn: false });
    expect(def.tasks["total"]?.retries).toBeUndefined();
    const numbers = def.tasks["numbers"]?.operator as OperatorDefinition;
    const total = def.tasks["total"]?.operator as OperatorDefinition;
    expect(numbers).toMatchObject({
      id: "hello.numbers",
      version: "0",
      ref: "hello.numbers@0",
      kind: "command",
      modes: ["PIPELINE"],
      command: ["sh", "-c", "seq 1 100 > outputs/numbers.txt"],
      outputs: ["outputs/numbers.txt"],
      checks: [{ nonEmpty: "outputs/numbers.txt" }],
      timeoutMs: 30_000,
      retries: 0,
      env: {},
    });
    expect(total).toMatchObject({ ref: "hello.total@0", retries: 2, timeoutMs: 600_000, outputs: ["outputs/total.txt"] });
    expect(total.command?.[2]).toContain("inputs/numbers/numbers.txt");
    expect(Object.isFrozen(def) && Object.isFrozen(def.tasks) && Object.isFrozen(def.tasks["total"])).toBe(true);
  });

  it("reports every problem of a broken file at once, with codes, YAML paths and locations", async () => {
    const error = await validationError(() => loadPipelineFile(fixture("many-problems.yaml")));
    expect(error.message).toContain(`7 problems in ${fixture("many-problems.yaml")}`);
    expect(codesAndPaths(error)).toEqual([
      "ERR_UNKNOWN_NEEDS tasks.fetch.needs.0",
      "ERR_DAG_CYCLE tasks.a.needs.0",
      "ERR_OUTPUT_OUTSIDE tasks.escape.outputs.0",
      "ERR_NO_CHECK tasks.unchecked.checks",
      "ERR_SCHEMA tasks.typo.retires",
      "ERR_CHECK_INVALID tasks.slow.checks.0.nonEmtpy",
      "ERR_SCHEMA tasks.slow.timeout",
    ]);
    const message = (path: string) => error.issues.find((issue) => issue.path.join(".") === path)?.message ?? "";
    expect(message("tasks.a.needs.0")).toContain("a -> b -> a");
    expect(message("tasks.typo.retires")).toContain('did you mean "retries"?');
    expect(message("tasks.typo.retires")).toContain("many-problems.yaml:28:5");
    expect(message("tasks.slow.timeout")).toContain('invalid duration "30 parsecs"');
    expect(message("tasks.escape.outputs.0")).toContain('"../x"');
  });

  it("reports YAML syntax errors with line and column", async () => {
    const error = await validationError(() => loadPipelineFile(fixture("bad-syntax.yaml")));
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatchObject({ code: "ERR_YAML", path: [] });
    expect(error.issues[0]?.message).toMatch(/bad-syntax\.yaml:\d+:\d+\)$/);
    const duplicate = await validationError(() => loadPipelineYaml("pipeline: x\npipeline: y\ntasks: {}\n", "dup.yaml"));
    expect(duplicate.issues[0]?.code).toBe("ERR_YAML");
    expect(duplicate.issues[0]?.message).toContain("dup.yaml:2:1");
  });

  it("loads registered-operator tasks and settings, and checks refs against a registry when given one", async () => {
    const def = await loadPipelineFile(fixture("registered.yaml"));
    expect(def).toMatchObject({ name: "scoring", cache: false, runMode: "mock" });
    expect(def.tasks["load"]).toMatchObject({ operator: "loader@1.0.0", params: { rows: 10 } });
    expect(def.tasks["score"]).toMatchObject({ operator: "scorer", retries: 1, allowWarn: true, maxStalenessMs: 6 * 3_600_000, params: { threshold: 0.5 } });
    expect(def.tasks["report"]?.operator).toMatchObject({ timeoutMs: 60_000, env: { LEVEL: "3", VERBOSE: "true" } });

    const registry = new OperatorRegistry();
    registry.register(op("loader", { input: z.object({ rows: z.number().int() }) }));
    const error = await validationError(() => loadPipelineFile(fixture("registered.yaml"), { registry }));
    expect(codesAndPaths(error)).toEqual(["ERR_UNKNOWN_OPERATOR tasks.score.operator"]);
    registry.register(op("scorer", { input: z.object({ threshold: z.number().max(0.4) }) }));
    const inputs = await validationError(() => loadPipelineFile(fixture("registered.yaml"), { registry }));
    expect(codesAndPaths(inputs)).toEqual(["ERR_INPUTS tasks.score.params.threshold"]);
    expect(inputs.issues[0]?.message).toContain(ERROR_CANON.ERR_INPUTS.fragment);
  });

  it("runs a string command with sh -c and rejects keys that do not fit the task's form", async () => {
    const text = [
      "pipeline: p",
      "tasks:",
      "  a:",
      "    run: echo hi > outputs/a",
      "    outputs: [outputs/a]",
      "    checks: [{ nonEmpty: outputs/a }]",
      "    params: { x: 1 }",
      "  b:",
      "    operator: thing@1",
      "    outputs: [outputs/b]",
      "  c:",
      "    needs: [d]",
      "",
    ].join("\n");
    const error = await validationError(() => loadPipelineYaml(text, "forms.yaml"));
    expect(codesAndPaths(error)).toEqual([
      "ERR_SCHEMA tasks.a.params",
      "ERR_SCHEMA tasks.b.outputs",
      "ERR_SCHEMA tasks.c",
      "ERR_UNKNOWN_NEEDS tasks.c.needs.0",
    ]);
    const ok = loadPipelineYaml(text.split("    params")[0] + "\n", "ok.yaml");
    expect((ok.tasks["a"]?.operator as OperatorDefinition).command).toEqual(["sh", "-c", "echo hi > outputs/a"]);
  });

  it("reports a task named __proto__ instead of losing it", async () => {
    const error = await validationError(() =>
      loadPipelineYaml('pipeline: p\ntasks:\n  __proto__: { run: "true", checks: [{ nonEmpty: outputs/a }] }\n', "proto.yaml"),
    );
    expect(codesAndPaths(error)).toEqual(["ERR_SCHEMA tasks.__proto__"]);
  });

  it("rejects files that are not a pipeline mapping", async () => {
    expect(codesAndPaths(await validationError(() => loadPipelineYaml("- a\n- b\n", "list.yaml")))).toEqual(["ERR_SCHEMA "]);
    expect(codesAndPaths(await validationError(() => loadPipelineYaml("mode: 3\n", "empty.yaml")))).toEqual([
      "ERR_SCHEMA mode",
      "ERR_SCHEMA pipeline",
      "ERR_SCHEMA tasks",
    ]);
  });
});

describe("definePipeline", () => {
  it("applies defaults and keeps operator objects and refs", () => {
    const fetch = op("fetch");
    const def = definePipeline({
      name: "daily",
      tasks: { fetch: { operator: fetch }, score: { operator: "score@1", needs: ["fetch"], maxStaleness: "2h", retries: 3 } },
    });
    expect(def).toMatchObject({ name: "daily", mode: "PIPELINE", cache: true, source: "typescript" });
    expect(def.tasks["fetch"]).toEqual({ name: "fetch", operator: fetch, needs: [], critical: false, params: {}, allowWarn: false });
    expect(def.tasks["score"]).toMatchObject({ operator: "score@1", retries: 3, maxStalenessMs: 7_200_000 });
  });

  it("reports an illegal mode, params that fail the input schema, bad names and refs, all at once", async () => {
    const typed = op("typed", { input: z.object({ limit: z.number().int().positive(), label: z.string() }) });
    const toolsmith = op("tool", { modes: ["TOOLSMITH"] });
    const error = await validationError(() =>
      definePipeline({
        name: "checks",
        mode: "PIPELINE",
        tasks: {
          typed: { operator: typed, params: { limit: -1 } },
          tool: { operator: toolsmith, needs: ["tool"] },
          "bad name": { operator: "not a ref" },
          stale: { operator: typed, params: { limit: 1, label: "x" }, maxStaleness: "soon", retries: 1.5 },
        },
      }),
    );
    expect(error.message).toContain("problems in pipeline checks");
    expect(codesAndPaths(error)).toEqual([
      "ERR_SCHEMA tasks.stale.maxStaleness",
      "ERR_INPUTS tasks.typed.params.limit",
      "ERR_INPUTS tasks.typed.params.label",
      "ERR_MODE_ILLEGAL tasks.tool.operator",
      "ERR_SCHEMA tasks.bad name",
      "ERR_SCHEMA tasks.bad name.operator",
      "ERR_SCHEMA tasks.stale.retries",
      "ERR_DAG_CYCLE tasks.tool.needs.0",
    ]);
    expect(error.issues.find((issue) => issue.code === "ERR_MODE_ILLEGAL")?.message).toContain("tool@1.0.0 is not legal in work mode PIPELINE");
  });

  it("surfaces a missing TypeScript timebox as ERR_NO_TIMEBOX before the pipeline exists", async () => {
    const error = await validationError(() =>
      definePipeline({
        name: "p",
        tasks: { a: { operator: defineOperator({ id: "a", version: "1", checks: [{ nonEmpty: "outputs/a" }], run: () => undefined }) } },
      }),
    );
    expect(codesAndPaths(error)).toEqual(["ERR_NO_TIMEBOX timeout"]);
  });

  it("reports each cycle once, with the whole loop in the message", async () => {
    const error = await validationError(() =>
      definePipeline({
        name: "loops",
        tasks: {
          a: { operator: op("a"), needs: ["c"] },
          b: { operator: op("b"), needs: ["a"] },
          c: { operator: op("c"), needs: ["b"] },
          x: { operator: op("x"), needs: ["y"] },
          y: { operator: op("y"), needs: ["x", "a"] },
        },
      }),
    );
    expect(error.issues.map((issue) => issue.message)).toEqual(["dependency cycle: a -> c -> b -> a", "dependency cycle: x -> y -> x"]);
  });

  it("validates refs against a registry later with assertValidPipeline", () => {
    const def = definePipeline({ name: "later", tasks: { a: { operator: "known@1.0.0", params: { n: "x" } }, b: { operator: "missing" } } });
    const registry = new OperatorRegistry();
    registry.register(op("known", { input: z.object({ n: z.number() }) }));
    expect(validatePipeline(def).length).toBe(0);
    expect(validatePipeline(def, registry).map((issue) => `${issue.code} ${issue.path.join(".")}`)).toEqual([
      "ERR_INPUTS tasks.a.params.n",
      "ERR_UNKNOWN_OPERATOR tasks.b.operator",
    ]);
    expect(() => assertValidPipeline(def, registry)).toThrow(
      expect.objectContaining({ code: "ERR_VALIDATION", message: expect.stringContaining("2 problems in pipeline later") }),
    );
  });
});

describe("planPipeline", () => {
  const diamond = (): PipelineDefinition =>
    definePipeline({
      name: "diamond",
      tasks: {
        sink: { operator: op("sink"), needs: ["left", "right"] },
        right: { operator: op("right"), needs: ["source"] },
        left: { operator: op("left"), needs: ["source", "source"] },
        source: { operator: op("source") },
        zeta: { operator: op("zeta") },
      },
    });

  it("orders a diamond topologically, alphabetical among ready tasks, with layers and dependents", () => {
    const plan = planPipeline(diamond());
    expect(plan.order).toEqual(["source", "left", "right", "sink", "zeta"]);
    expect(plan.layers).toEqual([["source", "zeta"], ["left", "right"], ["sink"]]);
    expect(plan.dependents).toEqual({ left: ["sink"], right: ["sink"], sink: [], source: ["left", "right"], zeta: [] });
  });

  it("refuses a graph with a cycle", async () => {
    const def = { ...diamond(), tasks: { ...diamond().tasks, source: { ...diamond().tasks["source"]!, needs: ["sink"] } } };
    const error = await validationError(() => planPipeline(def));
    expect(codesAndPaths(error)).toEqual(["ERR_DAG_CYCLE tasks.left.needs.0"]);
    expect(error.issues[0]?.message).toBe("dependency cycle: left -> source -> sink -> left (tasks left, right, sink, source all lie on cycles)");
  });

  it("plans a long chain without overflowing the stack", () => {
    const tasks: Record<string, { operator: string; needs: string[] }> = {};
    for (let i = 0; i < 20_000; i++)
      tasks[`t${String(i).padStart(5, "0")}`] = { operator: "x@1", needs: i === 0 ? [] : [`t${String(i - 1).padStart(5, "0")}`] };
    const plan = planPipeline(definePipeline({ name: "chain", tasks }));
    expect(plan.order).toHaveLength(20_000);
    expect(plan.layers).toHaveLength(20_000);
  });
});

describe("pipelineDigest", () => {
  it("is stable, ignores the source and key order, and changes with operator code and params", async () => {
    const fromFile = await loadPipelineFile(fixture("hello.yaml"));
    const text = await readFile(fixture("hello.yaml"), "utf8");
    const dir = mkdtempSync(join(tmpdir(), "runledger-pipelines-"));
    writeFileSync(join(dir, "moved.yaml"), text);
    expect(pipelineDigest(await loadPipelineFile(join(dir, "moved.yaml")))).toBe(pipelineDigest(fromFile));
    const edited = loadPipelineYaml(text.replace("seq 1 100", "seq 1 101"), "edited.yaml");
    expect(pipelineDigest(edited)).not.toBe(pipelineDigest(fromFile));

    const build = (body: () => { next: string }, params: Record<string, unknown>) =>
      definePipeline({ name: "p", tasks: { a: { operator: op("a", { input: z.object({ n: z.number() }), run: body }), params } } });
    const base = pipelineDigest(build(() => ({ next: "1" }), { n: 1 }));
    expect(pipelineDigest(build(() => ({ next: "1" }), { n: 1 }))).toBe(base);
    expect(pipelineDigest(build(() => ({ next: "2" }), { n: 1 }))).not.toBe(base);
    expect(pipelineDigest(build(() => ({ next: "1" }), { n: 2 }))).not.toBe(base);
  });

  it("resolves string refs through a registry, so a new code digest changes the pipeline digest", () => {
    const def = definePipeline({ name: "refs", tasks: { a: { operator: "a" } } });
    const one = new OperatorRegistry();
    const first = one.register(op("a", { run: () => ({ next: "1" }) }));
    const two = new OperatorRegistry();
    two.register(op("a", { run: () => ({ next: "2" }) }));
    expect(pipelineDigest(def, one)).not.toBe(pipelineDigest(def, two));
    expect(pipelineDigest(def, one)).not.toBe(pipelineDigest(def));
    expect(operatorCodeDigest(first)).toBe(operatorCodeDigest(one.resolve("a")!));
  });
});
