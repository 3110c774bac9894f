import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROLES_IN_HELP } from "../src/cli/commands/access.js";
import { ROLES } from "../src/governance/roles.js";
import { CLI, runledger } from "./support/cli.js";
import { modulesLoadedBy } from "./support/loaded-modules.js";

// What a command loads before it does anything is its start-up (docs/architecture.md,
// "Performance notes"): the bench times it; these hold which modules stay unloaded.
let dir: string;
let root: string;
beforeAll(() => {
  if (!existsSync(CLI)) throw new Error("dist/ is missing: run `npm run build` first (npm test does)");
  dir = mkdtempSync(join(tmpdir(), "runledger-startup-"));
  root = join(dir, "ws");
  expect(runledger(["init", root], { cwd: dir }).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const under = (modules: string[], part: string) => modules.filter((url) => url.includes(part));

describe("CLI start-up", () => {
  it.each([["--version"], ["--help"], ["access", "grant", "--help"]])(
    "%s loads commander and the command table only: no schemas, ledger or workspace",
    (...args) => {
      const modules = modulesLoadedBy(args, { cwd: dir, dir });
      expect(under(modules, "/node_modules/commander/").length).toBeGreaterThan(0);
      expect(under(modules, "/node_modules/zod/")).toEqual([]);
      expect(under(modules, "/node_modules/better-sqlite3/")).toEqual([]);
      expect(under(modules, "/dist/ledger/")).toEqual([]);
      expect(under(modules, "/dist/workspace/")).toEqual([]);
      expect(under(modules, "/dist/cli/actions/")).toEqual([]);
    },
  );

  it.each(["runs", "audit", "gate status", "watermark list", "operator list", "access list", "secret list"])(
    "%s reads the ledger without loading the engine, the use cases or the YAML parser",
    (command) => {
      const modules = modulesLoadedBy(["-w", root, ...command.split(" ")], { cwd: dir, dir });
      expect(under(modules, "/dist/ledger/sqlite/").length).toBeGreaterThan(0);
      expect(under(modules, "/dist/engine/")).toEqual([]);
      expect(under(modules, "/dist/usecases/index.js")).toEqual([]);
      expect(under(modules, "/node_modules/yaml/")).toEqual([]);
    },
  );

  it("the help text names every role, as governance/roles.ts has them", () => {
    expect(ROLES_IN_HELP).toBe(ROLES.join(", "));
    expect(runledger(["access", "grant", "--help"], { cwd: dir }).stdout).toContain(`one of ${ROLES.join(", ")}`);
  });
});
