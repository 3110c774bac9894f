import { isCounted } from "../../modes/assess-evidence.js";
import type { FoldedEventOf } from "../ledger-event.js";
import type { EventReducers } from "./event-reducer.js";
import type { ProjectionState } from "./projection-state.js";

type RunEventType = "workspace.initialized" | "run.requested" | "run.started" | "run.finished" | "run.suspended" | "run.paused" | "next.recorded";

/** A run's life: requested with its tasks, started, waiting or paused, finished, and its next pointer. */
export const RUN_REDUCERS: EventReducers<RunEventType> = {
  "workspace.initialized": () => {},
  "run.requested": requestRun,
  "run.started": (state, event) => {
    const run = state.runs[event.data.run_id];
    if (!run) return;
    run.status = "running";
    // A paused run that resumes starts again; it keeps the time it first started.
    run.started_at_utc ??= event.at;
  },
  "run.finished": (state, event) => {
    const run = state.runs[event.data.run_id];
    if (!run) return;
    run.status = event.data.status;
    run.result = event.data.result;
    // A next pointer recorded while the run was open stands unless the end brings its own.
    run.next = event.data.next ?? run.next;
    run.evidence = event.data.evidence ?? null;
    run.manifest_digest = event.data.manifest_digest ?? null;
    run.counted = isCounted(run.evidence, run.next);
    run.finished_at_utc = event.at;
  },
  // Not finished: waiting for manual tasks or gates, or paused by an admin; `resume` goes on.
  "run.suspended": (state, event) => {
    const run = state.runs[event.data.run_id];
    if (run) run.status = "waiting";
  },
  "run.paused": (state, event) => {
    const run = state.runs[event.data.run_id];
    if (run) run.status = "paused";
  },
  "next.recorded": (state, event) => {
    const run = state.runs[event.data.run_id];
    if (!run) return;
    run.next = event.data.next;
    run.counted = isCounted(run.evidence, run.next);
  },
};

function requestRun(state: ProjectionState, event: FoldedEventOf<"run.requested">): void {
  const d = event.data;
  state.runs[d.run_id] = {
    id: d.run_id,
    project: event.project,
    pipeline: d.pipeline,
    pipeline_digest: d.pipeline_digest ?? null,
    source: d.source ?? null,
    as_of: d.as_of,
    work_mode: d.work_mode,
    run_mode: d.run_mode,
    enforcement: d.enforcement,
    params: d.params,
    requested_at_utc: event.at,
    requested_by: event.actor,
    status: "requested",
    result: null,
    started_at_utc: null,
    finished_at_utc: null,
    next: null,
    mode_selection: d.mode_selection ?? null,
    evidence: null,
    manifest_digest: null,
    counted: false,
    stop_rules: [],
    violations: [],
    tasks: Object.fromEntries(d.tasks.map((name) => [name, { name, outcome: "PENDING", reason: null, attempts: [] }])),
  };
}
