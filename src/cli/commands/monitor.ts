import { access, constants } from "node:fs/promises";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Command } from "commander";
import { RunledgerError } from "../../core/errors.js";
import { fileNotFound } from "../../core/file-not-found.js";
import { BUILT_IN_MONITORS, runMonitors, type Monitor } from "../../governance/monitors.js";
import { Projector } from "../../ledger/projections/projector.js";
import type { Workspace } from "../../workspace/workspace.js";
import type { CommandContext } from "../command-context.js";
import { syncRules } from "./watermark.js";

async function configuredMonitors(workspace: Workspace): Promise<Monitor[]> {
  const out: Monitor[] = [];
  for (const file of workspace.config.monitors ?? []) {
    const path = resolve(workspace.root, file);
    try {
      await access(path, constants.R_OK);
    } catch (cause) {
      throw fileNotFound(`monitor ${path} (monitors: in runledger.json)`, cause);
    }
    const loaded = ((await import(pathToFileURL(path).href)) as { default?: Partial<Monitor> }).default;
    if (typeof loaded?.name !== "string" || typeof loaded.observe !== "function") throw new RunledgerError("ERR_CONFIG", { detail: `monitors: ${file} must export default { name, observe(view) }` });
    out.push(loaded as Monitor);
  }
  return out;
}

/** `runledger monitor run`: the read-only monitors; their only output is [SUGGESTION] entries, recorded once each. */
export function registerMonitor(program: Command, context: () => CommandContext): void {
  const monitor = program.command("monitor").description("read-only monitors that may only suggest (seed 001 §5)");
  monitor
    .command("run")
    .description("run every monitor; new suggestions are recorded once, so running it 100 times leaves the state of running it once")
    .action(async () => {
      const ctx = context();
      await ctx.withWorkspace(async (workspace) => {
        const state = await new Projector(workspace.ledger).catchUp();
        const { suggestions, refused } = await runMonitors([...BUILT_IN_MONITORS, ...(await configuredMonitors(workspace))], state, syncRules(workspace));
        const fresh = suggestions.filter((s, i) => state.suggestions[s.key] === undefined && suggestions.findIndex((o) => o.key === s.key) === i);
        if (fresh.length > 0) {
          await workspace.ledger.append(fresh.map((s) => ({ type: "monitor.suggested" as const, project: workspace.config.project, actor: { kind: "service" as const, id: `monitor:${s.monitor}` }, data: { key: s.key, level: s.level, message: s.message, monitor: s.monitor, subject: s.subject } })));
        }
        if (refused.length > 0) throw new RunledgerError("ERR_MONITOR_REFUSED", { detail: refused.map((r) => `${r.monitor}: ${r.reason}`).join("; ") });
        const text = suggestions.map((s) => `[SUGGESTION] ${s.level} ${s.monitor}: ${s.message}`);
        ctx.output.success({ suggestions, recorded: fresh.length }, text.length > 0 ? text : "no suggestions");
      });
    });
}
