import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { parse, stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { RunledgerError } from "../src/core/errors.js";
import { loadPipelineYaml } from "../src/pipelines/load-yaml.js";
import { readYamlFast, UNSUPPORTED } from "../src/pipelines/read-yaml-fast.js";
import { filesUnder } from "./support/files.js";
import { runledger } from "./support/cli.js";

/** `n` command tasks in a chain, each with outputs; `checks` adds the one acceptance check each needs. */
function chain(n: number, checks: boolean): string {
  const tasks = Array.from({ length: n }, (_, i) => {
    const lines = [`  t${i}:`, `    run: echo ${i} > outputs/t${i}.txt`, `    outputs: [outputs/t${i}.txt]`];
    if (i > 0) lines.push(`    needs: [t${i - 1}]`);
    if (checks) lines.push(`    checks: [{ nonEmpty: outputs/t${i}.txt }]`);
    return lines.join("\n");
  });
  return `pipeline: chain\ntasks:\n${tasks.join("\n")}\n`;
}

/** Whether the fast reader gives what `yaml` gives, or leaves the text to it. */
function agrees(text: string): boolean {
  const fast = readYamlFast(text);
  if (fast === UNSUPPORTED) return true;
  let full: unknown;
  try {
    full = parse(text, { uniqueKeys: true });
  } catch {
    return false; // the fast reader accepted text the full parser rejects
  }
  return isDeepStrictEqual(fast.value, full);
}

describe("the fast YAML reader", () => {
  it("reads every example pipeline itself, to the values yaml gives", () => {
    const files = filesUnder(resolve(import.meta.dirname, "../examples")).filter((file) => file.endsWith(".yaml"));
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      const fast = readYamlFast(text);
      expect(fast, file).not.toBe(UNSUPPORTED);
      expect(fast === UNSUPPORTED ? undefined : fast.value, file).toStrictEqual(parse(text));
    }
  });

  it("agrees with yaml on values yaml writes, in block and flow style, and reads many of them itself (fast-check)", () => {
    const word = fc.stringMatching(/^[a-z0-9 ./_#:-]{0,12}$/);
    const key = fc.oneof(fc.constantFrom("run", "needs", "a.b", "t-1", "__proto__", "<<", "null", "1", "y", "on"), word, fc.string({ maxLength: 8 }));
    const scalar = fc.oneof(
      { weight: 4, arbitrary: word },
      fc.string({ maxLength: 12 }),
      fc.constantFrom("5m", "0x1F", "0o7", "1e3", ".5", "+1", "-0", "007", "~", "True", "NULL", ".inf", "a: b", "a #b", "- x", "|", "'q'", '"d"'),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: "small" }, scalar, fc.array(tie("node"), { maxLength: 4 }), fc.dictionary(key, tie("node"), { maxKeys: 4 })),
    })).node;
    const doc = fc.dictionary(key, value, { minKeys: 1, maxKeys: 5 });
    const options = fc.record({ flowLevel: fc.constantFrom(undefined, 1, 2), indent: fc.constantFrom(2, 4), indentSeq: fc.boolean() });
    let fast = 0;
    fc.assert(
      fc.property(doc, options, (d, o) => {
        const text = stringify(d, { ...(o.flowLevel !== undefined && { flowLevel: o.flowLevel }), indent: o.indent, indentSeq: o.indentSeq });
        if (readYamlFast(text) !== UNSUPPORTED) fast++;
        return agrees(text);
      }),
      { numRuns: 400, seed: 1015 },
    );
    expect(fast).toBeGreaterThan(40);
  });

  it("agrees with yaml on hand-written edges, or leaves them to it", () => {
    const cases = [
      "a: 1\nb:\n- x\n- y\n",
      "a: |\n  echo 1\n\n  echo 2   \nb: 2\n",
      "a: |-\n  x\n\n",
      "a: |\n  x\n    \nb: 1\n",
      "a: >\n  folded\n  text\n",
      "a: b\n  c\n",
      "a: b\na: c\n",
      "a: [x, y,]\n",
      "a: {b: 1, c: [d, 'e''s', \"f\\tg\"]}\n",
      "a:\n  - k: v\n    j: w\n  -   l: 1\n      m: 2\n",
      "a: &x 1\nb: *x\n",
      // Continued flow collections and quoted scalars, and empty keys: js-yaml is lenient where yaml is not.
      'tasks:\n  use:\n    run: ["sh", "-c", "cat\n   inputs/a.txt"]\n',
      "tasks:\n  make:\n    checks: [{ nonEmpty:\n   outputs/a.txt }]\n",
      "a: [{: b }]\n",
      "a:: b\n",
      "a: 'it''s\n  continued'\n",
      "a: 'x' # c\nb: x#y # c\n",
      "a:\n    b: 1\n  c: 2\n",
      "a: 1\n---\nb: 2\n",
      "a:\n- b\n c\n",
      "__proto__: 1\nconstructor: 2\n",
      "a: [b: c]\n",
      '"quoted key": 1\n',
    ];
    for (const text of cases) expect(agrees(text), text).toBe(true);
  });
});

describe("pipelines at scale", () => {
  it("places a problem deep in a 2,000-task file at its file:line:col, as the full parser does", () => {
    const text = chain(2_000, true).replace("    needs: [t1499]\n", "    needs: [t1499, nowhere]\n");
    const error = (() => {
      try {
        loadPipelineYaml(text, "/p/chain.yaml");
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(RunledgerError);
    const line = text.slice(0, text.indexOf("nowhere")).split("\n").length;
    const col = text.split("\n")[line - 1]!.indexOf("nowhere") + 1;
    expect((error as RunledgerError).issues).toEqual([
      {
        code: "ERR_UNKNOWN_NEEDS",
        path: ["tasks", "t1500", "needs", 1],
        message: `task t1500 needs an unknown task "nowhere" (at /p/chain.yaml:${line}:${col})`,
      },
    ]);
  });

  it("lists 50 of 1,000 problems and says how many more; --json carries all of them", () => {
    const dir = mkdtempSync(join(tmpdir(), "runledger-scale-"));
    writeFileSync(join(dir, "chain.yaml"), chain(1_000, false));
    const human = runledger(["run", "chain.yaml"], { cwd: dir });
    expect(human.code).not.toBe(0);
    expect(human.stderr).toContain("why:  1000 problems in");
    expect(human.stderr.split("\n").filter((line) => line.startsWith("    - tasks."))).toHaveLength(50);
    expect(human.stderr).toContain("    … and 950 more problems (run with --json for all of them)\n");
    const json = runledger(["run", "chain.yaml", "--json"], { cwd: dir });
    const envelope = JSON.parse(json.stdout) as { status: string; error: { code: string; issues: { path: unknown[] }[] } };
    expect(envelope.status).toBe("error");
    expect(envelope.error.code).toBe("ERR_VALIDATION");
    expect(envelope.error.issues).toHaveLength(1_000);
  });

  it("says nothing of more problems when every one is listed", () => {
    const dir = mkdtempSync(join(tmpdir(), "runledger-scale-"));
    writeFileSync(join(dir, "chain.yaml"), chain(50, false));
    const human = runledger(["run", "chain.yaml"], { cwd: dir });
    expect(human.stderr.split("\n").filter((line) => line.startsWith("    - tasks."))).toHaveLength(50);
    expect(human.stderr).not.toContain("more problem");
  });
});
