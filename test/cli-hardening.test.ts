import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ActorSchema } from "../src/contracts/common.js";
import { parseIsoInstant } from "../src/core/iso-time.js";
import { ERROR_CANON, type ErrorCode } from "../src/core/errors.js";
import { openWorkspace } from "../src/workspace/workspace.js";
import { CLI, runledger, type CliResult } from "./support/cli.js";
import { expectErrorAsync } from "./support/expect-error.js";

let dir: string;
let root: string;
beforeAll(() => {
  if (!existsSync(CLI)) throw new Error("dist/ is missing: run `npm run build` first (npm test does)");
  dir = mkdtempSync(join(tmpdir(), "runledger-cli-hardening-"));
  root = join(dir, "ws");
  expect(runledger(["init", root], { cwd: dir }).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (args: string[], env?: NodeJS.ProcessEnv) => runledger(["-w", root, ...args], { cwd: root, ...(env ? { env } : {}) });
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- envelopes are checked field by field below
const envelope = (result: CliResult) => JSON.parse(result.stdout.trim().split("\n").at(-1) as string) as Record<string, any>;

/** Exit 2 with `code` in the JSON envelope, its message holding `fragment` and every `words`. */
function expectRefused(result: CliResult, code: ErrorCode, ...words: string[]): void {
  expect(result.code, result.stdout + result.stderr).toBe(2);
  const error = envelope(result).error as { code: string; message: string };
  expect(error.code).toBe(code);
  expect(error.message).toContain(ERROR_CANON[code].fragment);
  for (const word of words) expect(error.message).toContain(word);
}

/** True when `text` holds a character a terminal acts on, other than the newlines between lines. */
const hasTerminalControls = (text: string) =>
  [...text].some((char) => {
    const code = char.codePointAt(0) as number;
    return (code < 0x20 && code !== 0x0a) || (code >= 0x7f && code <= 0x9f) || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
  });

describe("files the user names", () => {
  it("a missing pipeline file is ERR_FILE_NOT_FOUND naming the path, exit 2, for YAML and modules alike", () => {
    for (const file of ["missing.yaml", "missing.mjs"]) {
      expectRefused(cli(["run", file, "--json"]), "ERR_FILE_NOT_FOUND", join(root, file));
      const human = cli(["run", file]);
      expect(human.code).toBe(2);
      expect(human.stderr).toContain("code: ERR_FILE_NOT_FOUND");
      expect(human.stderr).not.toContain("bug in runledger");
    }
  });

  it("a directory given as a pipeline file is ERR_USAGE saying so", () => {
    mkdirSync(join(root, "dir.yaml"));
    expectRefused(cli(["run", "dir.yaml", "--json"]), "ERR_USAGE", "is a directory");
  });

  it("a missing evidence file of complete or debug experiment is ERR_FILE_NOT_FOUND naming the option and the path", () => {
    expectRefused(
      cli(["complete", "no-such-run", "review", "--evidence", "gone.txt", "--result", "PASS", "--json"]),
      "ERR_FILE_NOT_FOUND",
      "--evidence",
      join(root, "gone.txt"),
    );
    expectRefused(
      cli(["debug", "experiment", "no-such-packet", "--change", "c", "--result", "r", "--evidence", "gone.log", "--json"]),
      "ERR_FILE_NOT_FOUND",
      "--evidence",
      join(root, "gone.log"),
    );
  });
});

describe("--as-of: strict ISO-8601", () => {
  it.each(["0", "-1", "1 2", "2026-13-01", "2026-02-30T00:00:00Z", "2026-01-01T10:00", "2026-01-01 10:00:00Z", "yesterday", "2026-1-1"])(
    "refuses %j with ERR_USAGE naming the option and the form",
    (value) => {
      expectRefused(cli(["run", "pipelines/hello.yaml", "--as-of", value, "--json"]), "ERR_USAGE", "--as-of", JSON.stringify(value), "YYYY-MM-DD");
    },
  );

  it("takes a date-time with Z or an offset, and a plain date as midnight UTC", () => {
    const asOf = (value: string) => envelope(cli(["run", "pipelines/hello.yaml", "--as-of", value, "--next", "n", "--json"])).run.as_of as string;
    expect(asOf("2024-02-29")).toBe("2024-02-29T00:00:00.000Z");
    expect(asOf("2026-01-01T10:00:00+02:00")).toBe("2026-01-01T08:00:00.000Z");
  });

  it("a watermark override to a date-like value takes the same strict form", () => {
    const override = (to: string) => cli(["watermark", "override", "us.ctt", "--to", to, "--justification", "drill", "--confirm", "--json"]);
    expectRefused(override("2026-02-30"), "ERR_USAGE", "--to", "YYYY-MM-DD");
    expectRefused(override("2026-01-06T10:00"), "ERR_USAGE", "--to");
    expect(envelope(override("2026-01-06")).watermark.after.value).toBe("2026-01-06");
    expect(override("release-7").code).toBe(0);
  });

  it("the parser reads back every field it was given", () => {
    expect(parseIsoInstant("2026-03-04T05:06:07.891Z")?.toISOString()).toBe("2026-03-04T05:06:07.891Z");
    expect(parseIsoInstant("0099-01-01")?.toISOString()).toBe("0099-01-01T00:00:00.000Z");
    expect(parseIsoInstant("2025-02-29")).toBeUndefined();
    expect(parseIsoInstant("2026-04-31T00:00:00Z")).toBeUndefined();
    expect(parseIsoInstant("2026-01-01T24:00:00Z")).toBeUndefined();
    expect(parseIsoInstant("2026-01-01T00:00:60Z")).toBeUndefined();
    expect(parseIsoInstant("2026-01-01T00:00:00+24:00")).toBeUndefined();
    expect(parseIsoInstant("2026-01-01t00:00:00z")).toBeUndefined();
  });
});

describe("actors", () => {
  it("--actor and RUNLEDGER_ACTOR without a kind are ERR_ACTOR_INVALID, exit 2, not a silent human", () => {
    expectRefused(cli(["--actor", "bad", "runs", "--json"]), "ERR_ACTOR_INVALID", "--actor", '"bad"');
    expectRefused(cli(["runs", "--json"], { RUNLEDGER_ACTOR: "bad" }), "ERR_ACTOR_INVALID", "RUNLEDGER_ACTOR");
    expectRefused(cli(["--actor", "robot:x", "runs", "--json"]), "ERR_ACTOR_INVALID");
  });

  it("an actor id with a control character is refused by the CLI, access grants and the ledger's contract", async () => {
    for (const id of ["a\u001b[31mb", "a\nb", "a\u009bb", "a\u007fb", "evil\u202e"]) {
      expectRefused(cli(["--actor", `human:${id}`, "runs", "--json"]), "ERR_ACTOR_INVALID", "control characters");
      expect(ActorSchema.safeParse({ kind: "human", id }).success).toBe(false);
    }
    expectRefused(cli(["access", "grant", "human:x\u001b[2J", "--role", "admin", "--reason", "r", "--json"]), "ERR_ACTOR_INVALID");
    expectRefused(cli(["access", "grant", "ana", "--role", "admin", "--reason", "r", "--json"]), "ERR_ACTOR_INVALID");
    const ws = await openWorkspace(root);
    try {
      await expectErrorAsync(
        () =>
          ws.ledger.append([
            { type: "next.recorded", project: "default", actor: { kind: "human", id: "x\u001b]0;owned\u0007" }, data: { next: "n", run_id: "r" } },
          ]),
        "ERR_EVENT_INVALID",
      );
    } finally {
      await ws.close();
    }
  });
});

describe("human output escapes what a terminal would act on", () => {
  it("task names from a pipeline file are shown escaped in the refusal, and refused by validation", () => {
    writeFileSync(
      join(root, "evil.yaml"),
      'pipeline: evil\nmode: PIPELINE\ntasks:\n  "a\\e[2Jb\\u202e":\n    run: ["true"]\n    outputs: [outputs/x]\n    checks: [{ nonEmpty: outputs/x }]\n    timeout: 5s\n',
    );
    const refused = cli(["run", "evil.yaml"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("ERR_VALIDATION");
    expect(hasTerminalControls(refused.stderr)).toBe(false);
    expect(refused.stderr).toContain("tasks.a\\x1b[2Jb\\u202e");
    const named = cli(["explain", "\u001b[31mx\u0085", "task"]);
    expect(named.code).toBe(2);
    expect(named.stderr).toContain("why:  \\x1b[31mx\\x85");
    expect(hasTerminalControls(named.stderr)).toBe(false);
  });

  it("next pointers, reasons and notes from the ledger are shown escaped, one line each", () => {
    const run = envelope(cli(["run", "pipelines/hello.yaml", "--json"])).run as { id: string };
    expect(cli(["next", run.id, "retry \u001b]0;owned\u0007 with \u202eevil"]).code).toBe(0);
    const shown = cli(["show", run.id]);
    expect(shown.code).toBe(0);
    expect(hasTerminalControls(shown.stdout)).toBe(false);
    expect(shown.stdout).toContain("next: retry \\x1b]0;owned\\x07 with \\u202eevil");
    expect(cli(["admin", "pause", "--reason", "line one\n  SUCCESS forged\u001b[1A"]).code).toBe(0);
    const audit = cli(["audit", "--action", "pause"]);
    expect(hasTerminalControls(audit.stdout)).toBe(false);
    expect(audit.stdout).toContain('"line one\\n  SUCCESS forged\\x1b[1A"');
    expect(audit.stdout.trim().split("\n")).toHaveLength(1);
    expect(cli(["admin", "resume", "--reason", "done"]).code).toBe(0);
    // --json is JSON: the same text comes back exactly as recorded.
    expect(envelope(cli(["show", run.id, "--json"])).run.next).toBe("retry \u001b]0;owned\u0007 with \u202eevil");
  });
});

describe("tokens", () => {
  let admin: string;
  const tokenFile = (name: string, text: string, mode: number) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    chmodSync(path, mode);
    return path;
  };
  const asRoot = (args: string[], env: NodeJS.ProcessEnv = {}) => cli(["--actor", "human:root", ...args], { RUNLEDGER_TOKEN: "", ...env });

  it("--token on the command line works but warns on stderr, as a JSON log line with --json", () => {
    admin = envelope(asRoot(["access", "grant", "human:root", "--role", "admin", "--reason", "bootstrap", "--json"])).grant.token as string;
    const human = asRoot(["--token", admin, "access", "list"]);
    expect(human.code).toBe(0);
    expect(human.stderr).toMatch(/^warning: --token on the command line is visible to other users.*RUNLEDGER_TOKEN or with --token-file FILE/m);
    const json = asRoot(["--token", admin, "access", "list", "--json"]);
    expect(json.code).toBe(0);
    const warning = json.stderr
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { level: string; event: string; message: string })
      .find((l) => l.event === "token.argv");
    expect(warning).toMatchObject({ level: "warn", message: expect.stringContaining("--token-file") });
    expect(envelope(json).access.enabled).toBe(true);
  });

  it("--token-file reads the first line, warns when others may read it; RUNLEDGER_TOKEN does not warn", () => {
    const quiet = asRoot(["--token-file", tokenFile("admin.token", `  ${admin}  \nsecond line\n`, 0o600), "access", "list", "--json"]);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe("");
    const open = asRoot(["--token-file", tokenFile("open.token", `${admin}\n`, 0o644), "access", "list"]);
    expect(open.code).toBe(0);
    expect(open.stderr).toMatch(/warning: --token-file .*open\.token is readable by other users \(mode 644\)/);
    const env = asRoot(["access", "list"], { RUNLEDGER_TOKEN: admin });
    expect(env.code).toBe(0);
    expect(env.stderr).toBe("");
  });

  it("a missing token file is ERR_FILE_NOT_FOUND; an empty one or both flags at once ERR_USAGE", () => {
    expectRefused(asRoot(["--token-file", join(dir, "none.token"), "runs", "--json"]), "ERR_FILE_NOT_FOUND", "--token-file", join(dir, "none.token"));
    expectRefused(asRoot(["--token-file", tokenFile("empty.token", "\n", 0o600), "runs", "--json"]), "ERR_USAGE", "first line is empty");
    expectRefused(asRoot(["--token-file", join(dir, "admin.token"), "--token", admin, "runs", "--json"]), "ERR_USAGE", "--token and --token-file");
  });
});
