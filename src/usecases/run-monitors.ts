import { RunledgerError } from "../core/errors.js";
import { runMonitors as observe, type KeyedSuggestion, type Monitor } from "../governance/monitors.js";
import type { SyncRule } from "../governance/watermarks.js";
import type { ReadDeps, RecordDeps } from "./deps.js";

export interface RunMonitorsDeps extends Omit<RecordDeps, "actor">, ReadDeps {
  readonly monitors: readonly Monitor[];
  readonly syncRules: readonly SyncRule[];
}

/**
 * Runs every monitor over the present state and records each new suggestion once (keyed, so
 * running it again records nothing new), as the monitor's own service actor. A monitor refused for
 * writing or returning anything but suggestions fails the whole call with ERR_MONITOR_REFUSED,
 * after the others' suggestions are recorded.
 */
export async function runMonitors(deps: RunMonitorsDeps): Promise<{ suggestions: KeyedSuggestion[]; recorded: number }> {
  // Monitors are written against the whole state: they see every run, as before read models.
  const models = await deps.readModels();
  const runs = (await models.runs({ limit: Number.MAX_SAFE_INTEGER })).map((run) => run.id);
  const scope = { runs, adminEvents: true, watermarks: true, gates: true, debugPackets: true, suggestions: true, stopRules: true, violations: true };
  const state = await models.stateFor(scope);
  const { suggestions, refused } = await observe(deps.monitors, state, deps.syncRules);
  const fresh = suggestions.filter((s, i) => state.suggestions[s.key] === undefined && suggestions.findIndex((o) => o.key === s.key) === i);
  if (fresh.length > 0) {
    await deps.ledger.append(
      fresh.map((s) => ({
        type: "monitor.suggested" as const,
        project: deps.project,
        actor: { kind: "service" as const, id: `monitor:${s.monitor}` },
        data: { key: s.key, level: s.level, message: s.message, monitor: s.monitor, subject: s.subject },
      })),
    );
  }
  if (refused.length > 0) throw new RunledgerError("ERR_MONITOR_REFUSED", { detail: refused.map((r) => `${r.monitor}: ${r.reason}`).join("; ") });
  return { suggestions, recorded: fresh.length };
}
