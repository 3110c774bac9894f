import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { CLI } from "./cli.js";

/**
 * The URL of every module a real CLI run loads, noted by a loader hook (`node --import`), in
 * load order. `dir` holds the hook's files and its log.
 */
export function modulesLoadedBy(args: readonly string[], options: { cwd: string; dir: string }): string[] {
  const hooks = join(options.dir, "module-log-hooks.mjs");
  const register = join(options.dir, "module-log-register.mjs");
  const log = join(options.dir, "modules.log");
  const note = 'import { appendFileSync } from "node:fs";\nconst note = (url) => appendFileSync(process.env.MODULE_LOG, url + "\\n");\n';
  writeFileSync(hooks, `${note}export async function load(url, context, next) {\n  note(url);\n  return next(url, context);\n}\n`);
  // registerHooks (in-thread) where Node has it, else the off-thread register of Node 20.
  writeFileSync(
    register,
    `import module from "node:module";\n${note}if (module.registerHooks) module.registerHooks({ load: (url, context, next) => (note(url), next(url, context)) });\nelse module.register(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
  );
  writeFileSync(log, "");
  const result = spawnSync(process.execPath, ["--import", register, CLI, ...args], {
    cwd: options.cwd,
    env: { ...process.env, RUNLEDGER_ACTOR: "human:tester", CI: "", MODULE_LOG: log },
    stdio: "ignore",
  });
  if (result.status !== 0) throw new Error(`runledger ${args.join(" ")} exited ${result.status}`);
  return readFileSync(log, "utf8")
    .split("\n")
    .filter((url) => url !== "" && url !== pathToFileURL(register).href);
}
