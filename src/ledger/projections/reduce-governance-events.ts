import type { EventReducers } from "./event-reducer.js";

type GovernanceEventType = "stoprule.fired" | "effect.called" | "violation.recorded" | "monitor.suggested";

/** What governance observed: fired stop rules, effect calls, violations and monitor suggestions. */
export const GOVERNANCE_REDUCERS: EventReducers<GovernanceEventType> = {
  "stoprule.fired": (state, event) => {
    const d = event.data;
    const fired = { rule: d.rule, mode: d.mode, detail: d.detail, subject: d.subject ?? null, run_id: d.run_id ?? null, fired_at_utc: event.at };
    state.stopRules.push(fired);
    if (d.run_id !== undefined) state.runs[d.run_id]?.stop_rules.push(fired);
  },
  "effect.called": (state, event) => {
    const d = event.data;
    state.attempts[d.attempt_id]?.effects.push({
      call_number: d.call_number,
      effect: d.effect,
      enforcement: d.enforcement,
      run_mode: d.run_mode,
      outcome: d.outcome,
      payload_digest: d.payload_digest,
      result_digest: d.result_digest ?? null,
      error_code: d.error_code ?? null,
      called_at_utc: event.at,
    });
  },
  "violation.recorded": (state, event) => {
    const d = event.data;
    state.violations.push({
      seq: event.seq,
      run_id: d.run_id,
      task: d.task,
      attempt_id: d.attempt_id,
      operator_ref: state.attempts[d.attempt_id]?.operator_ref ?? "(unknown)",
      kind: d.kind,
      detail: d.detail,
      at_utc: event.at,
    });
    state.runs[d.run_id]?.violations.push({ kind: d.kind, task: d.task, attempt_id: d.attempt_id, detail: d.detail, recorded_at_utc: event.at });
  },
  "monitor.suggested": (state, event) => {
    const d = event.data;
    state.suggestions[d.key] ??= { key: d.key, monitor: d.monitor, level: d.level, subject: d.subject, message: d.message, at_utc: event.at };
  },
};
