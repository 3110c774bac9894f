import { canonicalJson } from "../core/canonical-json.js";
import { sha256 } from "../core/digest.js";
import type { ProjectionState } from "../ledger/projections/projection-state.js";
import { lifecyclesFrom } from "./operator-lifecycle.js";
import { brokenSyncRules, type SyncRule } from "./watermarks.js";

/** A monitor's only output (seed 001 §5): a `[SUGGESTION]` at INFO or WARN about a subject. */
export interface Suggestion {
  readonly level: "INFO" | "WARN";
  readonly subject: string;
  readonly message: string;
}

/** What a monitor sees: a frozen copy of the projections and the workspace's sync rules; nothing it can write to. */
export interface MonitorView {
  readonly state: ProjectionState;
  readonly syncRules: readonly SyncRule[];
}

/** A read-only observer. `observe` must not change anything; it returns suggestions only. */
export interface Monitor {
  readonly name: string;
  observe(view: MonitorView): readonly Suggestion[] | Promise<readonly Suggestion[]>;
}

/** A suggestion as recorded: with its monitor and the key that makes recording it idempotent. */
export interface KeyedSuggestion extends Suggestion {
  readonly monitor: string;
  readonly key: string;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Whether a returned value is exactly a list of suggestions: nothing else may leave a monitor. */
function asSuggestions(value: unknown): Suggestion[] | string {
  if (!Array.isArray(value)) return "it returned something other than a list of suggestions";
  for (const item of value as unknown[]) {
    const s = item as Partial<Suggestion> | null;
    const keys = s !== null && typeof s === "object" ? Object.keys(s).sort().join(",") : "";
    if (keys !== "level,message,subject") return `an entry is not {level, subject, message}: ${JSON.stringify(item)}`;
    if (s?.level !== "INFO" && s?.level !== "WARN") return `level ${JSON.stringify(s?.level)}: a suggestion is INFO or WARN`;
    if (typeof s.subject !== "string" || typeof s.message !== "string" || s.subject === "" || s.message === "")
      return "subject and message must be non-empty text";
  }
  return value as Suggestion[];
}

/**
 * Runs monitors over a frozen copy of the state. A monitor that throws (as writing to the frozen
 * state does) or returns anything but suggestions is refused, and none of its output is kept.
 */
export async function runMonitors(
  monitors: readonly Monitor[],
  state: ProjectionState,
  syncRules: readonly SyncRule[],
): Promise<{ suggestions: KeyedSuggestion[]; refused: { monitor: string; reason: string }[] }> {
  const suggestions: KeyedSuggestion[] = [];
  const refused: { monitor: string; reason: string }[] = [];
  // One frozen copy serves every monitor: none can change it, so none can change what another sees.
  const view = deepFreeze({ state: structuredClone(state), syncRules: structuredClone(syncRules) });
  for (const monitor of monitors) {
    let out: Suggestion[] | string;
    try {
      out = asSuggestions(await monitor.observe(view));
    } catch (error) {
      out = `it tried to change what it observes or failed: ${(error as Error).message}`;
    }
    if (typeof out === "string") {
      refused.push({ monitor: monitor.name, reason: out });
      continue;
    }
    for (const s of out) {
      const suggestion = { level: s.level, subject: s.subject, message: s.message };
      suggestions.push({ ...suggestion, monitor: monitor.name, key: sha256(canonicalJson({ monitor: monitor.name, ...suggestion })) });
    }
  }
  return { suggestions, refused };
}

/** The monitors every workspace has. */
export const BUILT_IN_MONITORS: readonly Monitor[] = [
  {
    name: "watermark-sync",
    observe: ({ state, syncRules }) =>
      brokenSyncRules(state.watermarks, syncRules).map((b) => ({
        level: "WARN",
        subject: `watermarks:${b.rule.between.join(",")}`,
        message: `sync rule broken: ${b.message}; independent operation continues, review the lagging side`,
      })),
  },
  {
    name: "watermark-validity",
    observe: ({ state }) =>
      Object.values(state.watermarks)
        .filter((w) => !w.valid)
        .map((w) => ({
          level: "WARN",
          subject: `watermark:${w.name}`,
          message: `${w.name} = ${w.value} is invalid for forward use: ${w.invalidated?.reason ?? "its definition changed"}; pass its gate again under the new definition`,
        })),
  },
  {
    name: "gates-awaiting",
    observe: ({ state }) =>
      Object.values(state.gates)
        .filter((g) => g.status === "awaiting_approval")
        .map((g) => ({
          level: "INFO",
          subject: `gate:${g.run_id}/${g.gate}`,
          message: `gate ${g.gate} of run ${g.run_id} awaits approval: runledger gate approve ${g.gate} --run ${g.run_id} --reason "…"`,
        })),
  },
  {
    name: "operators-quarantined",
    observe: ({ state }) =>
      [...lifecyclesFrom(state.adminEvents, state.violations).values()]
        .filter((o) => o.status === "QUARANTINED")
        .map((o) => ({
          level: "WARN",
          subject: `operator:${o.ref}`,
          message: `${o.ref} is quarantined after ${o.violations} violation(s); review it, then activate or remove it`,
        })),
  },
  {
    name: "runs-not-counted",
    observe: ({ state }) =>
      Object.values(state.runs)
        .filter((r) => r.finished_at_utc !== null && !r.counted)
        .map((r) => ({
          level: "INFO",
          subject: `run:${r.id}`,
          message: `run ${r.id} (${r.pipeline}) is not counted: ${r.next === null ? "no next pointer" : "required evidence missing"}`,
        })),
  },
  {
    name: "pipeline-failures",
    observe: ({ state }) => {
      const byPipeline = new Map<string, string[]>();
      for (const run of Object.values(state.runs)) if (run.result !== null) byPipeline.set(run.pipeline, [...(byPipeline.get(run.pipeline) ?? []), run.result]);
      return [...byPipeline]
        .map(([pipeline, results]) => ({ pipeline, recent: results.slice(-5) }))
        .filter(({ recent }) => recent.length >= 2 && recent.filter((r) => r === "FAIL").length * 2 >= recent.length)
        .map(({ pipeline, recent }) => ({
          level: "WARN",
          subject: `pipeline:${pipeline}`,
          message: `${recent.filter((r) => r === "FAIL").length} of the last ${recent.length} runs of ${pipeline} failed`,
        }));
    },
  },
];
