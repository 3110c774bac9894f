import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVENT_CATALOGUE, type EventType } from "../src/ledger/events.js";
import { Ledger } from "../src/ledger/ledger.js";
import type { NewEvent } from "../src/ledger/ledger-event.js";
import { SqliteLedgerStore } from "../src/ledger/sqlite/sqlite-ledger-store.js";
import { adminEvent } from "../src/governance/admin-event.js";
import { createRedactor, encodedForms } from "../src/secrets/redact.js";
import { SecretMask } from "../src/secrets/secret-mask.js";
import { runledger } from "./support/cli.js";
import { filesHolding, filesUnder } from "./support/files.js";
import { samplePayload } from "./support/sample-payload.js";

const CANARY = "canary-7f3a9c2e-TOKEN";
const OTHER = "other-b81d44e0-TOKEN";

/** Every file under `root` (the secret store left out) holding the value or any of its encoded forms. */
function leaks(root: string, value: string): string[] {
  return filesHolding(root, value, ...encodedForms(value));
}

describe("one choke point: the ledger masks every payload", () => {
  it("a canary in every text field of every event type never reaches the stored chain", async () => {
    const dir = mkdtempSync(join(tmpdir(), "runledger-canary-"));
    try {
      const path = join(dir, "ledger.db");
      const mask = new SecretMask();
      mask.learn([CANARY]);
      const ledger = new Ledger(new SqliteLedgerStore(path), { redactor: mask });
      const types = Object.keys(EVENT_CATALOGUE) as EventType[];
      const events = types.map(
        (type) =>
          ({
            type,
            project: "default",
            actor: { kind: "service", id: "canary" },
            data: samplePayload(EVENT_CATALOGUE[type], `text ${CANARY} text`),
          }) as NewEvent,
      );
      // Each sample is valid and carries the canary: without the mask it would be stored.
      for (const event of events) expect(JSON.stringify(event.data)).toContain(CANARY);
      const stored = await ledger.append(events);
      expect(stored).toHaveLength(types.length);
      for (const event of stored) expect(JSON.stringify(event.data), event.type).not.toContain(CANARY);
      expect((await ledger.verify()).ok).toBe(true);
      await ledger.close();
      expect(leaks(dir, CANARY)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("masks values learned after the ledger opened, and leaves a ledger without a mask as it was", async () => {
    const mask = new SecretMask();
    const masked = new Ledger(new SqliteLedgerStore(":memory:"), { redactor: mask });
    const plain = new Ledger(new SqliteLedgerStore(":memory:"));
    const event = {
      type: "task.skipped",
      project: "p",
      actor: { kind: "service", id: "s" },
      data: { reason: `saw ${OTHER}`, run_id: "r", task: "t" },
    } as const;
    expect((await masked.appendOne(event)).data).toMatchObject({ reason: `saw ${OTHER}` });
    mask.learn([OTHER]);
    expect((await masked.appendOne(event)).data).toMatchObject({ reason: "saw ***" });
    expect((await plain.appendOne(event)).data).toMatchObject({ reason: `saw ${OTHER}` });
    await Promise.all([masked.close(), plain.close()]);
  });
});

describe("the redactor's fast path", () => {
  const redactor = createRedactor([CANARY]);

  it("returns a value holding nothing to mask as it is, without a copy", () => {
    const clean = { a: ["x", { b: "y", n: 1 }], c: null };
    expect(redactor.value(clean)).toBe(clean);
    expect(redactor.text("plain")).toBe("plain");
  });

  it("still finds a value or a credential anywhere: a key, deep in arrays, a URL, an Authorization header", () => {
    const out = redactor.value({ [CANARY]: 1, deep: [[{ s: `x${CANARY}y` }]], url: "https://u:pw-9@h", h: ["Authorization: Bearer tok-1"] });
    expect(JSON.stringify(out)).not.toMatch(new RegExp(`${CANARY}|pw-9|tok-1`));
    expect(out).toEqual({ "***": 1, deep: [[{ s: "x***y" }]], url: "https://u:***@h", h: ["Authorization: Bearer ***"] });
  });
});

describe("encoded forms", () => {
  const secret = "s3cr3t-Välue-0042";
  const redactor = createRedactor([secret]);

  it("masks the value in hex, percent-encoding, base64 and base64url, at every byte offset", () => {
    const bytes = Buffer.from(secret, "utf8");
    const texts = [bytes.toString("hex"), bytes.toString("hex").toUpperCase(), encodeURIComponent(secret)];
    for (const prefix of ["", "a", "ab", "abc"]) {
      const joined = Buffer.concat([Buffer.from(prefix), bytes, Buffer.from("tail")]);
      texts.push(joined.toString("base64"), joined.toString("base64url"));
    }
    for (const text of texts) {
      const out = redactor.text(`x ${text} y`);
      expect(out, text).toContain("***");
      // What is left of the encoding is at most the few characters that mix in neighbouring bytes.
      expect(out.replace("***", "").length, text).toBeLessThan(text.length / 2);
    }
  });

  it("leaves short values' encodings alone, so they do not garble unrelated text", () => {
    expect(encodedForms("abc")).toEqual([]);
    expect(createRedactor(["abc"]).text("YWJj 616263")).toBe("YWJj 616263");
  });

  it("masks encoded forms in files read as latin1, as captured logs are", () => {
    const latin1 = redactor.latin1();
    const hex = Buffer.from(secret, "utf8").toString("hex");
    expect(latin1.text(`x ${hex} y`)).toBe("x *** y");
    expect(latin1.text(Buffer.from(`x ${secret} y`, "utf8").toString("latin1"))).toBe("x *** y");
  });
});

describe("the probe's secret leaks, through the CLI", () => {
  let root: string;
  const cli = (args: string[], input?: string) => runledger(args, { cwd: root, ...(input !== undefined && { input }) });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a CLI envelope read by a test
  const json = (text: string) => JSON.parse(text) as Record<string, any>;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "runledger-leaks-"));
    expect(runledger(["init", root], { cwd: tmpdir() }).code).toBe(0);
    expect(cli(["secret", "set", "TOKEN_A", "--reason", "probe"], CANARY).code).toBe(0);
    expect(cli(["secret", "set", "TOKEN_B", "--reason", "probe"], OTHER).code).toBe(0);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("an undeclared output named after a secret leaves the value nowhere: ledger, store, run, show, operator, monitor", () => {
    writeFileSync(
      join(root, "pipelines/leak.yaml"),
      `pipeline: leak
tasks:
  write:
    run: |
      printf x > "outputs/$TOKEN_A"
      printf '%s' "$TOKEN_A" | base64
      printf '%s' "$TOKEN_A" | od -An -tx1 | tr -d ' \\n'
    outputs: [outputs/ok.txt]
    checks: [{ nonEmpty: outputs/ok.txt }]
    secrets: [TOKEN_A]
`,
    );
    const run = cli(["run", "pipelines/leak.yaml", "--json"]);
    expect(run.code).toBe(1);
    const view = json(run.stdout).run;
    expect(view.status).toBe("halted");
    expect(view.violations[0].detail).toContain("***");
    const show = cli(["show", view.id, "--json"]);
    const operators = cli(["operator", "list", "--json"]);
    const operator = cli(["operator", "show", view.tasks[0].attempts[0].operator_ref ?? "write@0.0.0"]);
    const monitor = cli(["monitor", "run"]);
    const runs = cli(["runs"]);
    for (const result of [run, show, operators, operator, monitor, runs]) {
      expect(result.stdout + result.stderr).not.toContain(CANARY);
      for (const form of encodedForms(CANARY)) expect(result.stdout + result.stderr).not.toContain(form);
    }
    expect(leaks(join(root, ".runledger"), CANARY).filter((file) => !file.includes("/secrets/") && !file.includes("/work/"))).toEqual([]);
  });

  it("a secret's value given in an admin reason is masked in the event that records it", () => {
    expect(cli(["secret", "rotate", "TOKEN_B", "--reason", `rotating away from ${OTHER}`], "replacement-value-0099").code).toBe(0);
    const audit = cli(["audit", "--json"]);
    expect(audit.stdout).toContain("rotating away from ***");
    expect(leaks(join(root, ".runledger"), OTHER).filter((file) => !file.includes("/secrets/"))).toEqual([]);
  });

  it("masks what an older ledger recorded unmasked on its way to the terminal, human and JSON", async () => {
    const ledger = new Ledger(new SqliteLedgerStore(join(root, ".runledger/ledger.db")));
    await ledger.append([
      adminEvent(
        "default",
        { kind: "human", id: "old" },
        { action_type: "pause", reason: `recorded before the mask: ${CANARY}`, targets: [], result: "applied" },
      ),
    ]);
    await ledger.close();
    for (const args of [["audit"], ["audit", "--json"]]) {
      const out = cli(args);
      expect(out.code).toBe(0);
      expect(out.stdout).toContain("recorded before the mask: ***");
      expect(out.stdout + out.stderr).not.toContain(CANARY);
    }
  });

  it("refuses a value shorter than 8 characters, storing nothing", () => {
    const short = cli(["secret", "set", "SHORT", "--reason", "probe", "--json"], "1234567");
    expect(short.code).toBe(2);
    expect(json(short.stdout).error.code).toBe("ERR_SECRET_TOO_SHORT");
    expect(existsSync(join(root, ".runledger/secrets/SHORT.json"))).toBe(false);
    expect(cli(["audit", "--json"]).stdout).not.toContain('"SHORT"');
  });

  it("removes the temporary file a killed `secret set` left, once its writer is gone", () => {
    const dead = spawnSync("true").pid as number;
    const orphan = join(root, ".runledger/secrets", `.TOKEN_A.${dead}.0a1b2c3d4e5f.tmp`);
    writeFileSync(orphan, JSON.stringify({ value: "left-behind-value" }), { mode: 0o600 });
    const live = join(root, ".runledger/secrets", `.TOKEN_A.${process.pid}.0a1b2c3d4e60.tmp`);
    writeFileSync(live, "{}", { mode: 0o600 });
    expect(cli(["secret", "list"]).code).toBe(0);
    expect(existsSync(orphan)).toBe(false);
    // A writer still alive may be about to rename its file: it stays.
    expect(existsSync(live)).toBe(true);
    rmSync(live);
  });
});

describe("the state is its owner's only", () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "runledger-perms-"));
    chmodSync(root, 0o755);
    expect(runledger(["init", join(root, "ws")], { cwd: root }).code).toBe(0);
    expect(runledger(["run", "pipelines/hello.yaml"], { cwd: join(root, "ws") }).code).toBe(0);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("init makes .runledger 0700, the ledger 0600, blobs 0400 in 0700 folders", () => {
    const state = join(root, "ws/.runledger");
    expect(statSync(state).mode & 0o777).toBe(0o700);
    expect(statSync(join(state, "ledger.db")).mode & 0o777).toBe(0o600);
    const blobs = filesUnder(join(state, "artifacts/sha256"));
    expect(blobs.length).toBeGreaterThan(0);
    for (const blob of blobs) expect(statSync(blob).mode & 0o777).toBe(0o400);
    for (const dir of [join(state, "artifacts"), join(state, "artifacts/sha256")]) expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it.skipIf(process.getuid?.() !== 0)("another local user cannot read the ledger or a blob", () => {
    const state = join(root, "ws/.runledger");
    const blob = filesUnder(join(state, "artifacts/sha256"))[0] as string;
    for (const file of [join(state, "ledger.db"), blob]) {
      const read = spawnSync("runuser", ["-u", "nobody", "--", "cat", file], { encoding: "utf8" });
      expect(read.status, file).not.toBe(0);
      expect(read.stderr).toMatch(/Permission denied/);
    }
  });

  it("verify fails with ERR_WORKSPACE_PERMISSIONS naming a state path others can reach, and passes once it is private again", () => {
    const ws = join(root, "ws");
    chmodSync(join(ws, ".runledger"), 0o755);
    const open = runledger(["verify", "--json"], { cwd: ws });
    expect(open.code).toBe(1);
    const error = JSON.parse(open.stdout).error;
    expect(error.code).toBe("ERR_WORKSPACE_PERMISSIONS");
    expect(error.message).toContain(".runledger (0755)");
    chmodSync(join(ws, ".runledger"), 0o700);
    expect(runledger(["verify"], { cwd: ws }).code).toBe(0);
  });
});
