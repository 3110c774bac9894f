import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ReceiptSchema } from "../src/contracts/receipt.js";
import { runPipeline } from "../src/engine/run-pipeline.js";
import { Projector } from "../src/ledger/projections/projector.js";
import { defineOperator } from "../src/operators/define-operator.js";
import { definePipeline } from "../src/pipelines/define-pipeline.js";
import { createRedactor } from "../src/secrets/redact.js";
import { redactFile } from "../src/secrets/redact-file.js";
import { secretsFromRecord, type SecretSource } from "../src/secrets/secret-source.js";
import { initWorkspace, type Workspace } from "../src/workspace/workspace.js";
import { COMMAND_ROLES } from "../src/cli/command-roles.js";
import { expectError, expectErrorAsync } from "./support/expect-error.js";
import { runledger } from "./support/cli.js";

const TOKEN = "tok-3f9a1c7e5b2d-SECRET";
const ROTATED = "tok-rotated-77aa21-SECRET";
const DIST_INDEX = pathToFileURL(resolve(import.meta.dirname, "../dist/index.js")).href;

/** Every file under `root`, recursively, except the secret store (which holds values by design). */
function filesUnder(root: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) {
      if (path.endsWith(join(".runledger", "secrets"))) continue;
      out.push(...filesUnder(path));
    } else if (entry.isFile()) out.push(path);
  }
  return out;
}

/** The files whose bytes contain `needle` (also as UTF-16 or JSON-escaped it would still contain the ASCII run). */
function filesContaining(root: string, needle: string): string[] {
  const bytes = Buffer.from(needle, "utf8");
  return filesUnder(root).filter((file) => readFileSync(file).includes(bytes));
}

describe("redactor", () => {
  it("masks secret values, URL passwords and Authorization credentials", () => {
    const r = createRedactor(["s3cr3t-value", "short"]);
    expect(r.text("a s3cr3t-value b short c")).toBe("a *** b *** c");
    expect(r.text("fetch https://bob:pa55w0rd@example.com/x?y=1")).toBe("fetch https://bob:***@example.com/x?y=1");
    expect(r.text("postgres://app:hunter2@db:5432/main")).toBe("postgres://app:***@db:5432/main");
    expect(r.text("Authorization: Bearer eyJhbGciOi.abc.def\nnext line")).toBe("Authorization: Bearer ***\nnext line");
    expect(r.text('{"authorization": "Basic dXNlcjpwYXNz", "x": 1}')).toBe('{"authorization": "Basic ***", "x": 1}');
    expect(r.text("Proxy-Authorization: opaque-credential")).toBe("Proxy-Authorization: ***");
    expect(r.text("https://example.com/no-credentials")).toBe("https://example.com/no-credentials");
  });

  it("masks the longer of two overlapping values whole, and every string of a JSON-like value", () => {
    const r = createRedactor(["abc", "abcdef"]);
    expect(r.text("xabcdefx abc")).toBe("x***x ***");
    expect(r.value({ reason: "failed with abc", list: ["abcdef", 3], nested: { abc: true } })).toEqual({
      reason: "failed with ***",
      list: ["***", 3],
      nested: { "***": true },
    });
  });

  it("masks a value split across two chunks of a stream, at every split point", () => {
    const secret = "s3cr3t-value";
    const text = `before ${secret} middle ${secret}\nafter https://u:p4ss@h/ end`;
    for (let split = 0; split <= text.length; split++) {
      const stream = createRedactor([secret]).stream();
      const out = stream.push(text.slice(0, split)) + stream.push(text.slice(split)) + stream.end();
      expect(out).toBe("before *** middle ***\nafter https://u:***@h/ end");
    }
  });

  it("masks a multi-line value fed one character at a time", () => {
    const secret = "-----BEGIN KEY-----\nMIIEow\n-----END KEY-----";
    const stream = createRedactor([secret]).stream();
    let out = "";
    for (const char of `key:\n${secret}\ndone\n`) out += stream.push(char);
    out += stream.end();
    expect(out).toBe("key:\n***\ndone\n");
  });

  it("rewrites a file chunk-wise, keeping non-UTF-8 bytes as they were", async () => {
    const dir = mkdtempSync(join(tmpdir(), "runledger-redact-"));
    try {
      const file = join(dir, "out");
      const binary = Buffer.from([0xff, 0xfe, 0x00, 0x80]);
      writeFileSync(file, Buffer.concat([binary, Buffer.from(`x ${"é".repeat(70_000)} s3cr3t-välue y\n`), binary]));
      await redactFile(file, createRedactor(["s3cr3t-välue"]));
      const bytes = readFileSync(file);
      expect(bytes.subarray(0, 4)).toEqual(binary);
      expect(bytes.subarray(-4)).toEqual(binary);
      expect(bytes.includes(Buffer.from("s3cr3t-välue"))).toBe(false);
      expect(bytes.toString("utf8")).toContain(" *** y\n");
      await redactFile(join(dir, "missing"), createRedactor(["x"]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("runledger secret and runs that use secrets (CLI)", () => {
  let dir: string;
  let root: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "runledger-secrets-"));
    root = join(dir, "ws");
    expect(runledger(["init", root], { cwd: dir }).code).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- envelopes are checked field by field below
  const json = (stdout: string) => JSON.parse(stdout.trim().split("\n").at(-1) as string) as Record<string, any>;
  const cli = (args: string[], input?: string) => runledger(["-w", root, ...args], { cwd: root, ...(input === undefined ? {} : { input }) });

  it("set reads the value from stdin (one trailing newline dropped) and keeps it in a 0600 file; list shows no values", () => {
    expect(cli(["secret", "set", "API_TOKEN", "--reason", "x"]).stderr).toContain("empty value for API_TOKEN");
    expect(cli(["secret", "set", "API_TOKEN", "--reason", "x"], "\n").code).toBe(2);
    expect(cli(["secret", "set", "api-token", "--reason", "x"], "v").stderr).toContain("ERR_VALIDATION");
    expect(cli(["secret", "set", "RUNLEDGER_X", "--reason", "x"], "v").stderr).toContain("ERR_VALIDATION");
    expect(cli(["secret", "set", "API_TOKEN"], "v").stderr).toContain("ERR_REASON_REQUIRED");
    const set = cli(["secret", "set", "API_TOKEN", "--reason", "the vendor API", "--json"], `${TOKEN}\n`);
    expect(set.code).toBe(0);
    expect(json(set.stdout).secret).toMatchObject({ name: "API_TOKEN", version: 1, state: "set" });
    expect(set.stdout + set.stderr).not.toContain(TOKEN);
    expect(cli(["secret", "set", "API_TOKEN", "--reason", "again"], "other").stderr).toContain("secret rotate API_TOKEN");
    const file = join(root, ".runledger/secrets/API_TOKEN.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(root, ".runledger/secrets")).mode & 0o777).toBe(0o700);
    const list = cli(["secret", "list", "--json"]);
    expect(json(list.stdout).secrets).toEqual([{ name: "API_TOKEN", version: 1, set_at_utc: expect.any(String), set_by: { kind: "human", id: "tester" } }]);
    expect(list.stdout).not.toContain(TOKEN);
    expect(filesContaining(root, TOKEN)).toEqual([]);
  });

  it("a command gets the secret as an env var; what it prints and logs is redacted everywhere runledger writes", () => {
    writeFileSync(
      join(root, "pipelines/leak.yaml"),
      `pipeline: leak
tasks:
  use:
    run: |
      test "\${#API_TOKEN}" -eq ${TOKEN.length} || exit 9
      echo "stdout has $API_TOKEN"
      echo "stderr has $API_TOKEN and https://bob:pw-in-url-$((100+23))@example.com and Authorization: Bearer hdr-cred-$((400+56))" >&2
      printf '%s' "$API_TOKEN" > outputs/ok.txt.tmp && echo ok > outputs/ok.txt && rm outputs/ok.txt.tmp
    outputs: [outputs/ok.txt]
    checks: [{ nonEmpty: outputs/ok.txt }]
    secrets: [API_TOKEN]
  fail:
    run: 'echo "about to fail with $API_TOKEN" >&2; exit 3'
    checks: [{ command: { run: "true" } }]
    secrets: [API_TOKEN]
`,
    );
    const run = cli(["run", "pipelines/leak.yaml"]);
    const runJson = cli(["run", "pipelines/leak.yaml", "--no-cache", "--json"]);
    for (const r of [run, runJson]) {
      expect(r.code).toBe(1);
      expect(r.stdout + r.stderr).not.toContain(TOKEN);
    }
    const view = json(runJson.stdout).run;
    expect(view.tasks.find((t: { name: string }) => t.name === "use").outcome).toBe("SUCCESS");
    expect(view.tasks.find((t: { name: string }) => t.name === "fail").outcome).toBe("FAILED");
    for (const needle of [TOKEN, "pw-in-url-123", "hdr-cred-456"]) expect(filesContaining(root, needle)).toEqual([]);
    const attempt = view.tasks.find((t: { name: string }) => t.name === "use").attempts[0].id as string;
    const receipt = json(cli(["receipt", attempt, "--json"]).stdout).receipt;
    expect(receipt.secret_versions).toEqual([{ name: "API_TOKEN", version: 1 }]);
    expect(receipt.stdout.tail).toBe("stdout has ***\n");
    expect(receipt.stderr.tail).toBe("stderr has *** and https://bob:***@example.com and Authorization: Bearer ***\n");
    const stdoutArtifact = cli(["artifacts", "get", receipt.stdout.digest]);
    expect(stdoutArtifact.stdout).toBe("stdout has ***\n");
  });

  it("a function operator's thrown error and log lines are redacted, and it may read only the secrets it declares", () => {
    writeFileSync(
      join(root, "pipelines/fn.mjs"),
      `import { defineOperator, definePipeline } from ${JSON.stringify(DIST_INDEX)};
const thrower = defineOperator({ id: "thrower", version: "1.0.0", timeout: "10s", secrets: ["API_TOKEN"], checks: [{ custom: { name: "ok", fn: () => ({ result: "PASS" }) } }],
  run(ctx) { const t = ctx.secrets.get("API_TOKEN"); ctx.log("using " + t, { token: t }); throw new Error("upstream refused token " + t); } });
const snoop = defineOperator({ id: "snoop", version: "1.0.0", timeout: "10s", checks: [{ custom: { name: "ok", fn: () => ({ result: "PASS" }) } }],
  run(ctx) { ctx.secrets.get("API_TOKEN"); } });
export default definePipeline({ name: "fn", tasks: { thrower: { operator: thrower }, snoop: { operator: snoop } } });
`,
    );
    const r = cli(["run", "pipelines/fn.mjs", "--json"]);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
    const tasks = json(r.stdout).run.tasks as { name: string; reason: string | null; attempts: { error_code: string | null }[] }[];
    expect(tasks.find((t) => t.name === "snoop")?.attempts[0]?.error_code).toBe("ERR_SECRET_UNDECLARED");
    const thrower = tasks.find((t) => t.name === "thrower");
    expect(thrower?.attempts[0]?.error_code).toBe("ERR_ADAPTER_INVOCATION");
    expect(thrower?.reason).toContain("upstream refused token ***");
    expect(filesContaining(root, TOKEN)).toEqual([]);
  });

  it("a missing secret fails the run with ERR_MISSING_SECRET before anything is recorded; a mock run needs none", () => {
    writeFileSync(
      join(root, "pipelines/missing.yaml"),
      `pipeline: missing
tasks:
  call:
    run: 'echo "real $OTHER_KEY" > outputs/out.txt'
    mock: 'echo "mock \${OTHER_KEY:-unset}" > outputs/out.txt'
    outputs: [outputs/out.txt]
    checks: [{ nonEmpty: outputs/out.txt }]
    secrets: [OTHER_KEY]
`,
    );
    const before = json(cli(["runs", "--json"]).stdout).runs.length as number;
    const r = cli(["run", "pipelines/missing.yaml"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("ERR_MISSING_SECRET");
    expect(r.stderr).toContain("OTHER_KEY (task call)");
    expect(json(cli(["runs", "--json"]).stdout).runs.length).toBe(before);
    const mock = cli(["run", "pipelines/missing.yaml", "--run-mode", "mock", "--json"]);
    expect(mock.code).toBe(0);
    const attempt = json(mock.stdout).run.tasks[0].attempts[0].id as string;
    const receipt = json(cli(["receipt", attempt, "--json"]).stdout).receipt;
    expect(receipt.mode).toBe("mock");
    expect(cli(["artifacts", "get", receipt.outputs_index[0].digest]).stdout).toBe("mock unset\n");
  });

  it("rotation reads the new value from stdin and is an admin event with the reason; remove is one too", () => {
    const rotated = cli(["secret", "rotate", "API_TOKEN", "--reason", "quarterly rotation", "--json"], ROTATED);
    expect(rotated.code).toBe(0);
    expect(json(rotated.stdout).secret).toMatchObject({ name: "API_TOKEN", version: 2, state: "rotated" });
    expect(cli(["secret", "rotate", "NOPE", "--reason", "x"], "v").stderr).toContain("no secret NOPE");
    const audit = json(cli(["audit", "--json"]).stdout).admin_events as Record<string, unknown>[];
    expect(audit.find((e) => e["action_type"] === "rotate_secret")).toMatchObject({
      reason: "quarterly rotation",
      targets: [{ kind: "secret", id: "API_TOKEN" }],
      before: { name: "API_TOKEN", version: 1 },
      after: { name: "API_TOKEN", version: 2, state: "rotated" },
      result: "applied",
      actor: { kind: "human", id: "tester" },
    });
    expect(audit.find((e) => e["action_type"] === "secret_set")).toMatchObject({ reason: "the vendor API", after: { version: 1, state: "set" } });
    // The next run gets the new value (the YAML's guard now fails: it still expects the old one).
    const rerun = json(cli(["run", "pipelines/leak.yaml", "--no-cache", "--json"]).stdout).run;
    const use = rerun.tasks.find((t: { name: string }) => t.name === "use");
    expect(use.outcome).toBe("FAILED");
    // Its receipt names the version it was given.
    expect(json(cli(["receipt", use.attempts[0].id, "--json"]).stdout).receipt.secret_versions).toEqual([{ name: "API_TOKEN", version: 2 }]);
    for (const needle of [TOKEN, ROTATED]) expect(filesContaining(root, needle)).toEqual([]);
    expect(cli(["secret", "remove", "API_TOKEN", "--reason", "vendor dropped"]).code).toBe(0);
    expect(json(cli(["secret", "list", "--json"]).stdout).secrets).toEqual([]);
    expect((json(cli(["audit", "--action", "secret_remove", "--json"]).stdout).admin_events as unknown[]).length).toBe(1);
    expect(cli(["run", "pipelines/leak.yaml"]).stderr).toContain("ERR_MISSING_SECRET");
  });

  it("secret set|rotate|remove need role admin and list needs viewer", () => {
    expect(COMMAND_ROLES).toMatchObject({ "secret set": "admin", "secret rotate": "admin", "secret remove": "admin", "secret list": "viewer" });
  });
});

describe("secrets through the engine API", () => {
  const ACTOR = Object.freeze({ kind: "service", id: "secrets-test" } as const);
  let dir: string;
  let ws: Workspace;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "runledger-secrets-engine-"));
    ws = await initWorkspace(join(dir, "ws"), ACTOR);
  });
  afterAll(async () => {
    await ws.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const deps = (secrets?: SecretSource) => ({
    ledger: ws.ledger,
    artifacts: ws.artifacts,
    actor: ACTOR,
    workRoot: join(dir, "work"),
    ...(secrets ? { secrets } : {}),
  });
  const spy = (values: Record<string, string>) => {
    const inner = secretsFromRecord(values);
    const calls: string[] = [];
    const source: SecretSource = {
      has: (name) => (calls.push(`has ${name}`), inner.has(name)),
      get: (name) => (calls.push(`get ${name}`), inner.get(name)),
    };
    return { source, calls };
  };
  const pipeline = (name: string) =>
    definePipeline({
      name,
      tasks: {
        call: {
          operator: defineOperator({
            id: `${name}.call`,
            version: "1.0.0",
            timeout: "10s",
            secrets: ["VENDOR_KEY"],
            outputs: ["outputs/seen.txt"],
            checks: [{ nonEmpty: "outputs/seen.txt" }],
            run: async (ctx) => {
              const { writeFile } = await import("node:fs/promises");
              await writeFile(join(ctx.outputsDir, "seen.txt"), `length ${ctx.secrets.get("VENDOR_KEY").length}\n`);
              ctx.log("called with", { key: ctx.secrets.get("VENDOR_KEY") });
            },
            mock: async (ctx) => {
              const { writeFile } = await import("node:fs/promises");
              let seen = "none";
              try {
                seen = ctx.secrets.get("VENDOR_KEY");
              } catch (error) {
                seen = (error as { code?: string }).code ?? "threw";
              }
              await writeFile(join(ctx.outputsDir, "seen.txt"), `${seen}\n`);
            },
          }),
        },
      },
    });

  it("a missing secret fails with ERR_MISSING_SECRET before any event is recorded", async () => {
    const seqBefore = (await new Projector(ws.ledger).catchUp()).seq;
    await expectErrorAsync(() => runPipeline(pipeline("missing"), deps(secretsFromRecord({})), { project: "default" }), "ERR_MISSING_SECRET");
    await expectErrorAsync(() => runPipeline(pipeline("nosource"), deps(), { project: "default" }), "ERR_MISSING_SECRET");
    expect((await new Projector(ws.ledger).catchUp()).seq).toBe(seqBefore);
  });

  it("a real run reads the value at execution; the log line holding it is redacted", async () => {
    const { source, calls } = spy({ VENDOR_KEY: "vendor-key-0af3" });
    const id = await runPipeline(pipeline("real"), deps(source), { project: "default" });
    const state = await new Projector(ws.ledger).catchUp();
    const attempt = state.attempts[state.runs[id]!.tasks["call"]!.attempts[0]!]!;
    expect(attempt.result).toBe("PASS");
    expect(calls).toEqual(["has VENDOR_KEY", "get VENDOR_KEY"]);
    const receipt = ReceiptSchema.parse(JSON.parse(Buffer.from(await ws.artifacts.get(attempt.receipt_digest!)).toString("utf8")));
    expect(receipt.stdout?.tail).toBe('{"message":"called with","key":"***"}\n');
    expect(filesContaining(ws.root, "vendor-key-0af3")).toEqual([]);
  });

  it("a mock run reads no secrets: the source is never asked and ctx.secrets gives nothing", async () => {
    const { source, calls } = spy({});
    const id = await runPipeline(pipeline("mocked"), deps(source), { project: "default", runMode: "mock" });
    const state = await new Projector(ws.ledger).catchUp();
    const attempt = state.attempts[state.runs[id]!.tasks["call"]!.attempts[0]!]!;
    expect(calls).toEqual([]);
    expect(Buffer.from(await ws.artifacts.get(attempt.outputs[0]!.digest)).toString("utf8")).toBe("ERR_MISSING_SECRET\n");
  });

  it("rejects secret names that are no environment variable names", () => {
    const error = expectError(
      () => defineOperator({ id: "bad", version: "1.0.0", timeout: "1s", secrets: ["api-key"], run: () => undefined, checks: [{ nonEmpty: "outputs/x" }] }),
      "ERR_VALIDATION",
    );
    expect(error.issues).toEqual([expect.objectContaining({ path: ["secrets", 0], message: expect.stringContaining('declares secret "api-key"') })]);
  });
});
