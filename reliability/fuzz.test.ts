import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import fc from "fast-check";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../src/cli/program.js";
import { definePipeline } from "../src/pipelines/define-pipeline.js";
import { loadPipelineSource } from "../src/pipelines/load-pipeline-source.js";
import { loadPipelineYaml } from "../src/pipelines/load-yaml.js";
import { defineOperator } from "../src/operators/define-operator.js";
import { parseWorkspaceConfig } from "../src/workspace/workspace-config.js";
import { openWorkspace } from "../src/workspace/workspace.js";
import { initWorkspace } from "./support/engine.js";
import { reportFigures } from "./support/figures.js";
import { badRejection, STACK_FRAME } from "./support/rejection.js";
import { SCALE, SEED } from "./support/scale.js";

let dir: string;
let root: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "runledger-rel-fuzz-"));
  root = initWorkspace(dir, "ws");
  writeFileSync(join(root, "p.yaml"), VALID_YAML);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The share of SCALE.fuzzCases each target gets. */
const CASES = {
  yaml: Math.round(SCALE.fuzzCases * 0.35),
  typescript: Math.round(SCALE.fuzzCases * 0.2),
  cli: Math.round(SCALE.fuzzCases * 0.2),
  config: Math.round(SCALE.fuzzCases * 0.25),
};
const figures: Record<string, { cases: number; accepted: number; rejected: Record<string, number> }> = {};

/** Runs `body` on one case and records whether it accepted, or rejected with which code; a bad rejection fails the property. */
async function judge(target: keyof typeof CASES, body: () => unknown): Promise<void> {
  const count = (figures[target] ??= { cases: 0, accepted: 0, rejected: {} });
  count.cases++;
  try {
    await body();
    count.accepted++;
  } catch (error) {
    const bad = badRejection(error);
    if (bad) throw new Error(bad);
    const code = (error as { code: string }).code;
    count.rejected[code] = (count.rejected[code] ?? 0) + 1;
  }
}

const VALID_YAML = `pipeline: fuzzed
tasks:
  make:
    run: "echo hi > outputs/a.txt"
    outputs: [outputs/a.txt]
    checks: [{ nonEmpty: outputs/a.txt }]
  use:
    needs: [make]
    run: ["sh", "-c", "cat inputs/make/a.txt > outputs/b.txt"]
    outputs: [outputs/b.txt]
    timeout: 30s
    retries: 1
    checks: [{ nonEmpty: outputs/b.txt }, { rowCount: { path: outputs/b.txt, min: 1 } }]
`;

const json = fc.jsonValue({ maxDepth: 3 });
const names = fc.oneof(fc.constantFrom("make", "use", "a", "b", "c", "", "a b", "x.y"), fc.string({ maxLength: 8 }));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: arb }, { weight: 1, arbitrary: json });
const checkArb = fc.oneof(
  fc.record({ nonEmpty: maybe(fc.constantFrom("outputs/a.txt", "outputs/missing", "../x", "")) }),
  fc.record({
    rowCount: maybe(
      fc.record({ path: maybe(fc.constant("outputs/a.txt")), min: maybe(fc.integer({ min: -2, max: 3 })), max: maybe(fc.integer()) }, { requiredKeys: [] }),
    ),
  }),
  fc.record({ jsonSchema: maybe(fc.record({ path: fc.constant("outputs/a.txt"), schema: json }, { requiredKeys: [] })) }),
  fc.record({
    rows: maybe(fc.record({ path: fc.constant("outputs/a.txt"), where: fc.constantFrom("x > 1", "x >", "(((", "a == 'b'", "") }, { requiredKeys: [] })),
  }),
  fc.record({ command: maybe(fc.oneof(fc.constant("true"), fc.array(fc.string(), { maxLength: 3 }))) }),
  fc.dictionary(fc.string({ maxLength: 10 }), json, { maxKeys: 2 }),
);
const durations = fc.oneof(fc.constantFrom("1s", "10m", "6h", "2d", "0s", "-1s", "1x", "", "1.5h", "99999999999h"), fc.integer(), fc.double());
const taskArb = fc.record(
  {
    run: maybe(fc.oneof(fc.constantFrom("echo hi > outputs/a.txt", ""), fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 }))),
    operator: maybe(fc.constantFrom("mod.op@1", "missing", "", "x@notaversion")),
    params: maybe(fc.dictionary(fc.string({ maxLength: 5 }), json, { maxKeys: 2 })),
    needs: maybe(fc.array(names, { maxLength: 3 })),
    outputs: maybe(
      fc.array(fc.oneof(fc.constantFrom("outputs/a.txt", "outputs/../x", "/etc/passwd", "outputs/", "a.txt", "outputs/a.txt"), fc.string({ maxLength: 10 })), {
        maxLength: 3,
      }),
    ),
    checks: maybe(fc.array(checkArb, { maxLength: 3 })),
    timeout: maybe(durations),
    maxStaleness: maybe(durations),
    retries: maybe(fc.integer({ min: -2, max: 5 })),
    critical: maybe(fc.boolean()),
    allowWarn: maybe(fc.boolean()),
    env: maybe(fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.boolean()), { maxKeys: 2 })),
    effects: maybe(fc.array(fc.string({ maxLength: 8 }), { maxLength: 2 })),
    secrets: maybe(fc.array(fc.string({ maxLength: 8 }), { maxLength: 2 })),
    evidence: maybe(fc.array(fc.string({ maxLength: 8 }), { maxLength: 2 })),
    mock: maybe(fc.constantFrom("echo mock > outputs/a.txt")),
    modes: maybe(fc.array(fc.constantFrom("PIPELINE", "RESEARCH", "NOPE", ""), { maxLength: 2 })),
    description: maybe(fc.string()),
  },
  { requiredKeys: [] },
);
const pipelineArb = fc.record(
  {
    pipeline: maybe(fc.constantFrom("fuzzed", "", "a b", "UPPER")),
    mode: maybe(fc.constantFrom("PIPELINE", "RESEARCH", "TOOLSMITH", "NOPE", "")),
    runMode: maybe(fc.constantFrom("mock", "real", "both")),
    cache: maybe(fc.boolean()),
    description: maybe(fc.string()),
    tasks: maybe(fc.dictionary(names, maybe(taskArb), { maxKeys: 4 })),
  },
  { requiredKeys: [] },
);

/** Text edits: delete a span, insert text, or replace one character, at fuzzed positions. */
const editsArb = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 20 }) }),
    fc.record({
      kind: fc.constant("insert" as const),
      at: fc.nat(),
      text: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(":", "- ", "\n  ", "{", "[", "&a", "*a", "!!binary", "\t", "'", '"', "#", "<<: *a", "\0")),
    }),
    fc.record({ kind: fc.constant("replace" as const), at: fc.nat(), text: fc.string({ minLength: 1, maxLength: 1 }) }),
  ),
  { minLength: 1, maxLength: 4 },
);
function applyEdits(text: string, edits: readonly { kind: string; at: number; length?: number; text?: string }[]): string {
  let out = text;
  for (const edit of edits) {
    const at = out.length === 0 ? 0 : edit.at % out.length;
    if (edit.kind === "delete") out = out.slice(0, at) + out.slice(at + (edit.length ?? 1));
    else if (edit.kind === "insert") out = out.slice(0, at) + (edit.text ?? "") + out.slice(at);
    else out = out.slice(0, at) + (edit.text ?? "") + out.slice(at + 1);
  }
  return out;
}

describe("bad input (fast-check)", () => {
  it(`YAML pipeline definitions: ${CASES.yaml} fuzzed cases load or fail with a canonical ERR_* code`, async () => {
    const text = fc.oneof(
      { weight: 3, arbitrary: pipelineArb.map((p) => stringify(p)) },
      { weight: 3, arbitrary: editsArb.map((edits) => applyEdits(VALID_YAML, edits)) },
      { weight: 1, arbitrary: pipelineArb.chain((p) => editsArb.map((edits) => applyEdits(stringify(p), edits))) },
      {
        weight: 1,
        arbitrary: fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.string({ unit: "binary", maxLength: 200 }),
          json.map((j) => stringify(j)),
        ),
      },
    );
    await fc.assert(
      fc.asyncProperty(text, async (yaml) => judge("yaml", () => loadPipelineYaml(yaml, join(root, "fuzzed.yaml")))),
      { numRuns: CASES.yaml, seed: SEED },
    );
  });

  it(`TypeScript pipeline definitions: ${CASES.typescript} fuzzed definePipeline/defineOperator specs and modules`, async () => {
    const good = defineOperator({
      id: "fz.op",
      version: "1.0.0",
      kind: "command",
      command: ["true"],
      outputs: ["outputs/a.txt"],
      checks: [{ nonEmpty: "outputs/a.txt" }],
      timeout: "10s",
    } as never);
    const operatorSpec = fc.record(
      {
        id: maybe(fc.constantFrom("fz.op", "", "Bad Id", "x")),
        version: maybe(fc.constantFrom("1.0.0", "1", "", "v2")),
        kind: maybe(fc.constantFrom("command", "function", "other")),
        command: maybe(fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 })),
        run: fc.constantFrom(undefined, () => undefined, 5),
        outputs: maybe(fc.array(fc.constantFrom("outputs/a.txt", "../a", ""), { maxLength: 2 })),
        checks: maybe(fc.array(checkArb, { maxLength: 2 })),
        timeout: maybe(durations),
        retries: maybe(fc.integer({ min: -1, max: 3 })),
        modes: maybe(fc.array(fc.constantFrom("PIPELINE", "NOPE"), { maxLength: 2 })),
      },
      { requiredKeys: [] },
    );
    const spec = fc.record(
      {
        name: maybe(fc.constantFrom("fz", "", "a b")),
        mode: maybe(fc.constantFrom("PIPELINE", "NOPE")),
        cache: maybe(fc.boolean()),
        runMode: maybe(fc.constantFrom("mock", "real", "x")),
        tasks: fc.oneof(
          fc.dictionary(
            names,
            fc.record(
              {
                operator: fc.oneof(fc.constant(good as unknown), fc.constantFrom("fz.op@1.0.0", "missing", ""), json),
                needs: maybe(fc.array(names, { maxLength: 2 })),
                retries: maybe(fc.integer({ min: -1, max: 2 })),
                maxStaleness: maybe(durations),
                params: maybe(json),
                critical: maybe(fc.boolean()),
                allowWarn: maybe(fc.boolean()),
              },
              { requiredKeys: [] },
            ),
            { maxKeys: 4 },
          ),
          fc.anything({ maxDepth: 2 }),
        ),
      },
      { requiredKeys: [] },
    );
    let modules = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          { weight: 4, arbitrary: spec.map((s) => ({ pipeline: s })) },
          { weight: 2, arbitrary: operatorSpec.map((o) => ({ operator: o })) },
          { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }).map((a) => ({ pipeline: a })) },
        ),
        fc.nat(),
        async (input, n) => {
          await judge("typescript", () => ("operator" in input ? defineOperator(input.operator as never) : definePipeline(input.pipeline as never)));
          // Every 20th case also goes through the module loader, as `runledger run x.mjs` would.
          if (n % 20 === 0) {
            const file = join(dir, `m${modules++}.mjs`);
            const body = "pipeline" in input ? `export default ${JSON.stringify(input.pipeline) ?? "undefined"};` : `export const x = 1;`;
            writeFileSync(file, body);
            await judge("typescript", () => loadPipelineSource(file));
          }
        },
      ),
      { numRuns: CASES.typescript, seed: SEED },
    );
  });

  it(`CLI arguments: ${CASES.cli} fuzzed argument lists exit 0, 1 or 2, never with a stack trace, failures with an ERR_* code and a fix`, async () => {
    const words = [
      "init",
      "run",
      "resume",
      "runs",
      "show",
      "receipt",
      "explain",
      "next",
      "modes",
      "classify",
      "artifacts",
      "get",
      "verify",
      "audit",
      "access",
      "list",
      "revoke",
      "help",
    ];
    const flags = [
      "--json",
      "--workspace",
      "-w",
      "--actor",
      "--token",
      "--concurrency",
      "--as-of",
      "--project",
      "--param",
      "--no-cache",
      "--mode",
      "--title",
      "--next",
      "--run-mode",
      "--output",
      "-o",
      "--help",
      "-V",
      "--bogus",
      "-x",
    ];
    const values = [
      "p.yaml",
      "missing.yaml",
      "runledger.json",
      "0",
      "-1",
      "2",
      "1e9",
      "human:x",
      "llm:",
      "nobody",
      "x=y",
      "=",
      "PIPELINE",
      "mock",
      "real",
      "2026-01-01T00:00:00Z",
      "yesterday",
      "sha256:00",
      "artifact://sha256/zz",
      "ws",
      ".",
      "",
    ];
    const safe = fc.string({ maxLength: 12 }).filter((s) => !s.startsWith("/") && !s.startsWith("~") && !s.includes(".."));
    const token = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...words) },
      { weight: 3, arbitrary: fc.constantFrom(...flags) },
      { weight: 3, arbitrary: fc.constantFrom(...values) },
      { weight: 2, arbitrary: safe },
    );
    const cwd = join(dir, "cli");
    mkdirSync(cwd, { recursive: true });
    await fc.assert(
      fc.asyncProperty(fc.array(token, { maxLength: 6 }), fc.boolean(), async (argv, inWorkspace) => {
        let out = "";
        let err = "";
        const sink = (write: (s: string) => void) => new Writable({ write: (chunk: Buffer, _enc, done) => (write(chunk.toString()), done()) });
        const code = await runCli(argv, {
          stdout: sink((s) => (out += s)),
          stderr: sink((s) => (err += s)),
          env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", RUNLEDGER_ACTOR: "human:fuzzer" },
          cwd: inWorkspace ? root : cwd,
        });
        const count = (figures["cli"] ??= { cases: 0, accepted: 0, rejected: {} });
        count.cases++;
        const context = `argv ${JSON.stringify(argv)} exit ${code}\nstdout: ${out}\nstderr: ${err}`;
        expect([0, 1, 2], context).toContain(code);
        expect(STACK_FRAME.test(out) || STACK_FRAME.test(err), context).toBe(false);
        if (code === 0) {
          count.accepted++;
          return;
        }
        const json = argv.includes("--json");
        const errorCode = json
          ? (JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as { error?: { code?: string } }).error?.code
          : /code: (ERR_[A-Z_]+)/.exec(err)?.[1];
        // A run whose result is FAIL exits 1 with its report, not an error.
        if (errorCode === undefined && argv.includes("run")) {
          count.accepted++;
          return;
        }
        expect(errorCode, context).toMatch(/^ERR_[A-Z_]+$/);
        expect(errorCode, context).not.toBe("ERR_INTERNAL");
        if (!json) expect(err, context).toContain("fix:");
        count.rejected[errorCode as string] = (count.rejected[errorCode as string] ?? 0) + 1;
      }),
      { numRuns: CASES.cli, seed: SEED },
    );
  });

  it(`workspace config: ${CASES.config} fuzzed runledger.json files parse or fail with ERR_CONFIG naming the field`, async () => {
    const relPath = fc.stringMatching(/^[a-z0-9_./]{0,14}$/).filter((s) => !s.includes("..") && !s.startsWith("/"));
    const configArb = fc.record(
      {
        $schema: maybe(fc.string()),
        name: maybe(fc.oneof(fc.constantFrom("ws", ""), fc.string({ maxLength: 220 }))),
        project: maybe(fc.constantFrom("default", "Bad Project", "", "p-1", "x".repeat(300))),
        ledger: maybe(
          fc.record(
            {
              backend: maybe(fc.constantFrom("sqlite", "postgres", "mysql")),
              path: maybe(relPath),
              durability: maybe(fc.constantFrom("full", "normal", "none")),
              connectionStringEnv: maybe(fc.constantFrom("DB_URL", "lower", "")),
              schema: maybe(fc.constantFrom("runledger", "Bad-Schema")),
            },
            { requiredKeys: [] },
          ),
        ),
        artifacts: maybe(fc.record({ backend: maybe(fc.constantFrom("fs", "s3")), path: maybe(relPath) }, { requiredKeys: [] })),
        modes: maybe(fc.array(json, { maxLength: 2 })),
      },
      { requiredKeys: [] },
    );
    const text = fc.oneof(
      { weight: 4, arbitrary: configArb.map((c) => JSON.stringify(c)) },
      { weight: 2, arbitrary: configArb.chain((c) => editsArb.map((edits) => applyEdits(JSON.stringify(c, null, 2), edits))) },
      {
        weight: 1,
        arbitrary: fc.oneof(
          fc.string({ maxLength: 100 }),
          json.map((j) => JSON.stringify(j)),
        ),
      },
    );
    let opened = 0;
    await fc.assert(
      fc.asyncProperty(text, fc.nat(), async (config, n) => {
        await judge("config", () => parseWorkspaceConfig(config, "runledger.json"));
        // Every 10th config is also opened as a workspace, backends and all.
        if (n % 10 === 0) {
          const ws = join(dir, "cfg", String(opened++));
          mkdirSync(ws, { recursive: true });
          writeFileSync(join(ws, "runledger.json"), config);
          await judge("config", async () => (await openWorkspace(ws, { env: {} })).close());
        }
      }),
      { numRuns: CASES.config, seed: SEED },
    );
  });

  afterAll(() => {
    const total = Object.values(figures).reduce((sum, f) => sum + f.cases, 0);
    reportFigures("fuzz", { cases: total, targets: figures });
  });
});
