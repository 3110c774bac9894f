import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { definePipeline } from "../src/pipelines/define-pipeline.js";
import { loadPipelineYaml } from "../src/pipelines/load-yaml.js";
import { pipelineDigest } from "../src/pipelines/plan.js";
import { defineOperator } from "../src/operators/define-operator.js";
import { hiddenFromCommands } from "../src/workspace/workspace.js";
import { parseWorkspaceConfig } from "../src/workspace/workspace-config.js";
import { expectError } from "./support/expect-error.js";
import { runledger, runledgerAsync, type CliResult } from "./support/cli.js";
import { filesHolding } from "./support/files.js";

const SECRET = "sandbox-canary-5f1e9a3c7d";
/** A file outside every workspace that a sandboxed command must fail to write. */
const ESCAPED = `/var/tmp/runledger-escaped-${process.pid}.txt`;
const HOST_TMP_FILE = `/tmp/runledger-sandbox-host-${process.pid}.txt`;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "runledger-sandbox-"));
  writeFileSync(HOST_TMP_FILE, "kept in the host's /tmp\n");
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(ESCAPED, { force: true });
  rmSync(HOST_TMP_FILE, { force: true });
});

/** A fresh workspace holding the secret TOKEN_B, with `yaml` written as p.yaml at its root (beside `.runledger/`). */
function workspace(name: string, yaml: string): string {
  const root = join(dir, name);
  expect(runledger(["init", root], { cwd: dir }).code).toBe(0);
  expect(runledger(["secret", "set", "TOKEN_B", "--reason", "sandbox test"], { cwd: root, input: SECRET }).code).toBe(0);
  writeFileSync(join(root, "p.yaml"), yaml);
  writeFileSync(join(root, "bundled.txt"), "bundled with the pipeline\n");
  return root;
}

type RunJson = { run: { id: string; status: string; tasks: { name: string; outcome: string; checks: { result: string }[]; attempts: { id: string }[] }[] } };

function runJson(result: CliResult): RunJson["run"] {
  return (JSON.parse(result.stdout) as RunJson).run;
}

/** The stored bytes of a task's last attempt: its outputs by path, stdout, stderr and receipt. */
function attemptRecord(
  root: string,
  run: RunJson["run"],
  task: string,
): { receipt: Record<string, unknown>; stdout: string; stderr: string; output: (path: string) => string } {
  const attempt = run.tasks.find((t) => t.name === task)!.attempts.at(-1)!.id;
  const shown = runledger(["receipt", attempt, "--json"], { cwd: root });
  expect(shown.code, shown.stderr).toBe(0);
  const receipt = (JSON.parse(shown.stdout) as { receipt: Record<string, unknown> }).receipt;
  const blob = (digest: string) => readFileSync(join(root, ".runledger", "artifacts", "sha256", digest.slice(7, 9), digest.slice(9))).toString("utf8");
  const stream = (name: "stdout" | "stderr") => {
    const capture = receipt[name] as { digest: string } | undefined;
    return capture ? blob(capture.digest) : "";
  };
  const outputs = receipt["outputs_index"] as { path: string; digest: string }[];
  return { receipt, stdout: stream("stdout"), stderr: stream("stderr"), output: (path) => blob(outputs.find((o) => o.path === path)!.digest) };
}

/** Processes still running `sleep 301` started by run `runId` (its other RUNLEDGER_* variables name it). */
function escapees(runId: string): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, "latin1");
        const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
        return (
          cmdline === "sleep\u0000301\u0000" &&
          !/\) [ZX] /.test(stat) &&
          readFileSync(`/proc/${pid}/environ`, "latin1").includes(`RUNLEDGER_RUN_ID=${runId}\u0000`)
        );
      } catch {
        return false;
      }
    })
    .map(Number);
}

const PROBE = `pipeline: probe
tasks:
  probe:
    run: |
      cat ../../../secrets/TOKEN_B.json
      cat "$RUNLEDGER_PIPELINE_DIR/.runledger/secrets/TOKEN_B.json"
      wc -c < ../../../ledger.db
      ls ../../../artifacts | wc -l > outputs/store.txt
      cat "$RUNLEDGER_PIPELINE_DIR/bundled.txt" > outputs/bundled.txt
      echo escaped > "$RUNLEDGER_PIPELINE_DIR/escaped.txt" || echo "write outside refused" >> outputs/writes.txt
      echo escaped > ${ESCAPED} || echo "write to /var/tmp refused" >> outputs/writes.txt
      echo scratch > /tmp/runledger-sandbox-scratch.txt || echo "write to /tmp refused" >> outputs/writes.txt
      echo scratch > "$TMPDIR/scratch.txt" && echo "TMPDIR writable" >> outputs/writes.txt
      cat ${HOST_TMP_FILE} >> outputs/writes.txt
      exit 0
    outputs: [outputs/store.txt, outputs/bundled.txt, outputs/writes.txt]
    checks:
      - command: { run: ["sh", "-c", "! ls ../../../secrets && ! echo tampered > outputs/writes.txt && grep -q refused outputs/writes.txt && echo scratch > $TMPDIR/scratch"] }
`;

describe("sandbox", () => {
  it("a command reads no stored secret, ledger or store, sees the host's /tmp read-only, and writes nowhere but its attempt's directory", () => {
    const root = workspace("probe", PROBE);
    const result = runledger(["run", "p.yaml", "--json"], { cwd: root });
    expect(result.code, result.stderr).toBe(0);
    const run = runJson(result);
    const { receipt, stdout, stderr, output } = attemptRecord(root, run, "probe");
    expect(receipt["sandbox"]).toBe("bubblewrap");
    expect(stderr).toContain("../../../secrets/TOKEN_B.json: No such file or directory");
    expect(stderr).toMatch(/\.\.\/\.\.\/\.\.\/ledger\.db: No such file/);
    expect(stdout).not.toContain(SECRET);
    expect(output("outputs/store.txt").trim()).toBe("0");
    // The pipeline's directory stays readable, and read-only.
    expect(output("outputs/bundled.txt")).toBe("bundled with the pipeline\n");
    // Tools and checkouts kept under /tmp stay usable (the runledger CLI itself, in a clone there).
    expect(output("outputs/writes.txt")).toBe(
      "write outside refused\nwrite to /var/tmp refused\nwrite to /tmp refused\nTMPDIR writable\nkept in the host's /tmp\n",
    );
    expect(existsSync("/tmp/runledger-sandbox-scratch.txt")).toBe(false);
    expect(existsSync(join(root, "escaped.txt"))).toBe(false);
    expect(existsSync(ESCAPED)).toBe(false);
    expect(filesHolding(root, SECRET)).toEqual([]);
  });

  it("a command check runs in the sandbox too: no secrets, the attempt's directory read-only, a scratch TMPDIR of its own", () => {
    // The check of PROBE passes only when ../../../secrets is not there and outputs/ cannot be written.
    const root = workspace("check", PROBE);
    const run = runJson(runledger(["run", "p.yaml", "--json"], { cwd: root }));
    expect(run.tasks[0]!.checks.map((c) => c.result)).toEqual(["PASS"]);
    expect(run.status).toBe("succeeded");
  });

  it("a command that leaves its session and drops its attempt id (setsid, env -u) is dead when the run ends", () => {
    const root = workspace(
      "setsid",
      `pipeline: escapee
tasks:
  escapee:
    # The pause gives the escapee time to leave the group before the command exits, as a real one would have.
    run: 'env -u RUNLEDGER_ATTEMPT_ID setsid sleep 301 & sleep 0.5; echo started > outputs/o.txt; exit 0'
    outputs: [outputs/o.txt]
    checks: [{ nonEmpty: outputs/o.txt }]
`,
    );
    const result = runledger(["run", "p.yaml", "--json"], { cwd: root });
    expect(result.code, result.stderr).toBe(0);
    expect(escapees(runJson(result).id)).toEqual([]);
  });

  describe("network", () => {
    let server: Server;
    let port: number;
    beforeAll(async () => {
      // The client leaves as soon as it connected: a reset is no failure of the server's.
      server = createServer((socket) => socket.on("error", () => undefined).end("hello\n"));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      port = (server.address() as { port: number }).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    const connect = () => `pipeline: net
tasks:
  net:
    run: ["node", "-e", "const fs = require('fs'); require('net').connect(${port}, '127.0.0.1').on('connect', () => { fs.writeFileSync('outputs/net.txt', 'connected'); process.exit(0); }).on('error', (e) => { fs.writeFileSync('outputs/net.txt', e.code); process.exit(0); })"]
    outputs: [outputs/net.txt]
    checks: [{ nonEmpty: outputs/net.txt }]
`;

    it("shadow and mock runs cannot reach a server on 127.0.0.1; an enforced real run can", async () => {
      const root = workspace("net", connect());
      const reached = async (...flags: string[]) => {
        // Asynchronous: the server answers from this process while the CLI runs.
        const result = await runledgerAsync(["run", "p.yaml", "--json", "--no-cache", ...flags], { cwd: root });
        expect(result.code, result.stderr).toBe(0);
        return attemptRecord(root, runJson(result), "net").output("outputs/net.txt");
      };
      expect(await reached("--enforcement", "shadow")).toBe("ECONNREFUSED");
      expect(await reached("--run-mode", "mock")).toBe("ECONNREFUSED");
      expect(await reached("--enforcement", "enforced", "--run-mode", "real")).toBe("connected");
    });
  });

  it("fails the run with ERR_SANDBOX_UNAVAILABLE, before anything is recorded, when bubblewrap cannot start", () => {
    const root = workspace("unavailable", PROBE);
    const result = runledger(["run", "p.yaml", "--json"], { cwd: root, env: { RUNLEDGER_BWRAP: "/no/such/bwrap" } });
    expect(result.code).toBe(1);
    const error = (JSON.parse(result.stdout) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe("ERR_SANDBOX_UNAVAILABLE");
    expect(error.message).toContain("/no/such/bwrap");
    const runs = runledger(["runs", "--json"], { cwd: root });
    expect((JSON.parse(runs.stdout) as { runs: unknown[] }).runs).toEqual([]);
  });

  it("sandbox: off runs commands as they are, without bubblewrap, and every receipt says off", () => {
    const root = workspace(
      "off",
      `pipeline: off
# The workspace's state is in plain view: this is what the sandbox takes away.
sandbox: off
tasks:
  look:
    run: 'ls ../../../secrets > outputs/seen.txt'
    outputs: [outputs/seen.txt]
    checks: [{ command: { run: ["sh", "-c", "ls ../../../secrets"] } }]
`,
    );
    const result = runledger(["run", "p.yaml", "--json"], { cwd: root, env: { RUNLEDGER_BWRAP: "/no/such/bwrap" } });
    expect(result.code, result.stderr).toBe(0);
    const run = runJson(result);
    const { receipt, output } = attemptRecord(root, run, "look");
    expect(receipt["sandbox"]).toBe("off");
    expect(output("outputs/seen.txt")).toBe("TOKEN_B.json\n");
    expect(run.tasks[0]!.checks.map((c) => c.result)).toEqual(["PASS"]);
  });
});

describe("the pipeline's sandbox field", () => {
  const op = defineOperator({
    id: "echo",
    version: "1.0.0",
    command: ["true"],
    outputs: ["outputs/o.txt"],
    checks: [{ nonEmpty: "outputs/o.txt" }],
    timeout: "5s",
  });

  it("takes on or off in YAML and definePipeline; anything else is ERR_SCHEMA at sandbox", () => {
    expect(
      loadPipelineYaml(
        "pipeline: p\nsandbox: off\ntasks:\n  a:\n    run: 'true'\n    outputs: [outputs/o.txt]\n    checks: [{ nonEmpty: outputs/o.txt }]\n",
        "p.yaml",
      ).sandbox,
    ).toBe("off");
    expect(definePipeline({ name: "p", sandbox: "off", tasks: { a: { operator: op } } }).sandbox).toBe("off");
    const yaml = expectError(
      () =>
        loadPipelineYaml(
          "pipeline: p\nsandbox: maybe\ntasks:\n  a:\n    run: 'true'\n    outputs: [outputs/o.txt]\n    checks: [{ nonEmpty: outputs/o.txt }]\n",
          "p.yaml",
        ),
      "ERR_VALIDATION",
    );
    expect(yaml.issues).toMatchObject([{ code: "ERR_SCHEMA", path: ["sandbox"] }]);
    const ts = expectError(() => definePipeline({ name: "p", sandbox: "maybe" as "off", tasks: { a: { operator: op } } }), "ERR_VALIDATION");
    expect(ts.issues).toMatchObject([{ code: "ERR_SCHEMA", path: ["sandbox"] }]);
  });

  it("is part of the pipeline's digest when off, so a run resumes only under the setting it started with", () => {
    const digest = (sandbox?: "on" | "off") => pipelineDigest(definePipeline({ name: "p", ...(sandbox && { sandbox }), tasks: { a: { operator: op } } }));
    expect(digest("on")).toBe(digest());
    expect(digest("off")).not.toBe(digest());
  });
});

describe("what the workspace hides from commands", () => {
  const hidden = (config: object) => hiddenFromCommands({ root: "/ws", config: parseWorkspaceConfig(JSON.stringify({ name: "w", ...config })) });

  it("the state folder by default, which holds ledger and store", () => {
    expect(hidden({})).toEqual(["/ws/.runledger", "/ws/.runledger/artifacts"]);
  });

  it("a ledger and a store elsewhere: their directories; a ledger beside the workspace's files: its files alone", () => {
    expect(hidden({ ledger: { backend: "sqlite", path: "/data/ledger/l.db" }, artifacts: { backend: "fs", path: "../blobs" } })).toEqual([
      "/ws/.runledger",
      "/blobs",
      "/data/ledger",
    ]);
    expect(hidden({ ledger: { backend: "sqlite", path: "l.db" } })).toEqual([
      "/ws/.runledger",
      "/ws/.runledger/artifacts",
      "/ws/l.db",
      "/ws/l.db-wal",
      "/ws/l.db-shm",
      "/ws/l.db-journal",
    ]);
    expect(hidden({ ledger: { backend: "postgres" } })).toEqual(["/ws/.runledger", "/ws/.runledger/artifacts"]);
  });
});
