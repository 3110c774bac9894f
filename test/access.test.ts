import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandPaths } from "../src/cli/program.js";
import { COMMAND_ROLES } from "../src/cli/command-roles.js";
import { ERROR_CANON } from "../src/core/errors.js";
import { allows } from "../src/governance/roles.js";
import { runledger } from "./support/cli.js";

let dir: string;
let root: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "runledger-access-"));
  root = join(dir, "ws");
  expect(runledger(["init", root], { cwd: dir }).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- envelopes are checked field by field below
const json = (stdout: string) => JSON.parse(stdout.trim().split("\n").at(-1) as string) as Record<string, any>;
const cli = (args: string[], token?: string, actor = "human:root") =>
  runledger(["-w", root, "--actor", actor, ...args], { cwd: dir, env: { RUNLEDGER_TOKEN: token ?? "" } });

describe("roles", () => {
  it("admin allows everything; operator and approver also view; viewer only views", () => {
    expect(allows(["admin"], "approver")).toBe(true);
    expect(allows(["operator"], "viewer")).toBe(true);
    expect(allows(["approver"], "viewer")).toBe(true);
    expect(allows(["operator"], "approver")).toBe(false);
    expect(allows(["approver"], "operator")).toBe(false);
    expect(allows(["viewer"], "operator")).toBe(false);
    expect(allows([], "viewer")).toBe(false);
  });

  it("every command of the CLI declares the role it needs", () => {
    const paths = commandPaths();
    expect(paths).toContain("artifacts get");
    expect(paths.filter((p) => !Object.hasOwn(COMMAND_ROLES, p))).toEqual([]);
  });
});

describe("access control", () => {
  let admin: string;
  let viewer: string;
  let operator: string;

  it("is off until the first grant, which must be admin; a token is shown once and only its hash is kept", () => {
    expect(cli(["runs"]).code).toBe(0);
    const first = cli(["access", "grant", "human:ana", "--role", "viewer", "--reason", "read"]);
    expect(first.code).toBe(2);
    expect(cli(["access", "grant", "human:root", "--role", "admin"]).stderr).toContain("ERR_REASON_REQUIRED");
    const granted = json(cli(["access", "grant", "human:root", "--role", "admin", "--reason", "bootstrap", "--json"]).stdout);
    admin = granted.grant.token;
    expect(admin).toMatch(/^rl_/);
    viewer = json(cli(["access", "grant", "human:ana", "--role", "viewer", "--reason", "reads runs", "--json"], admin).stdout).grant.token;
    operator = json(cli(["access", "grant", "service:ci", "--role", "operator", "--reason", "nightly runs", "--json"], admin).stdout).grant.token;
    const db = readFileSync(join(root, ".runledger/ledger.db")).toString("latin1");
    for (const token of [admin, viewer, operator]) expect(db).not.toContain(token);
    const list = json(cli(["access", "list", "--json"], admin).stdout).access;
    expect(list.enabled).toBe(true);
    expect(list.grants.map((g: { actor: { id: string }; role: string }) => `${g.actor.id}:${g.role}`)).toEqual(["root:admin", "ana:viewer", "ci:operator"]);
  });

  it("a command without the needed role fails with ERR_FORBIDDEN and the refusal is recorded", () => {
    const hello = join(root, "pipelines/hello.yaml");
    const anonymous = cli(["runs"]);
    expect(anonymous.code).toBe(2);
    expect(anonymous.stderr).toContain(ERROR_CANON.ERR_FORBIDDEN.fragment);
    expect(cli(["runs"], viewer, "human:ana").code).toBe(0);
    const refused = cli(["run", hello, "--json"], viewer, "human:ana");
    expect(refused.code).toBe(2);
    expect(json(refused.stdout).error).toMatchObject({ code: "ERR_FORBIDDEN", message: expect.stringContaining("run needs role operator") });
    expect(cli(["runs"], "rl_forged").code).toBe(2);
    expect(cli(["runs"], viewer, "human:root").stderr).toContain("the token belongs to human:ana");
    const ran = json(cli(["run", hello, "--json"], operator, "service:ci").stdout).run;
    expect(ran.status).toBe("succeeded");
    const audit = json(cli(["audit", "--action", "access_denied", "--json"], admin).stdout).admin_events;
    expect(audit.map((e: { targets: { id: string }[]; result: string }) => `${e.targets[0]!.id}:${e.result}`)).toEqual([
      "runs:refused",
      "run:refused",
      "runs:refused",
      "runs:refused",
    ]);
    expect(audit[1]).toMatchObject({ actor: { kind: "human", id: "ana" }, reason: expect.stringContaining("needs role operator") });
  });

  it("a run's events carry the actor its token authenticated", () => {
    const runs = json(cli(["runs", "--json"], viewer, "human:ana").stdout).runs;
    const shown = json(cli(["show", runs[0].id, "--json"], viewer, "human:ana").stdout).run;
    expect(shown.status).toBe("succeeded");
    const audit = json(cli(["audit", "--json"], admin).stdout).admin_events;
    expect(audit.filter((e: { action_type: string }) => e.action_type === "access_grant").map((e: { actor: { id: string } }) => e.actor.id)).toEqual([
      "root",
      "root",
      "root",
    ]);
  });

  it("revoking a role stops its token; the last admin cannot be revoked", () => {
    expect(cli(["access", "revoke", "human:ana", "--role", "viewer", "--reason", "left the team"], admin).code).toBe(0);
    expect(cli(["runs"], viewer, "human:ana").code).toBe(2);
    const last = cli(["access", "revoke", "human:root", "--role", "admin", "--reason", "oops"], admin);
    expect(last.code).toBe(2);
    expect(last.stderr).toContain("last admin");
    expect(cli(["verify"], admin).code).toBe(0);
  });
});
