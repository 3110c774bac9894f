import type { Actor } from "../../contracts/common.js";
import type { Verdict } from "../../contracts/verdict.js";

export type RunStatus = "requested" | "running" | "succeeded" | "degraded" | "failed" | "halted";
export type AttemptStatus = "running" | "succeeded" | "failed" | "abandoned" | "reused";

export interface TaskView {
  readonly name: string;
  outcome: "PENDING" | "RUNNING" | "SUCCESS" | "SKIPPED" | "FAILED";
  reason: string | null;
  readonly attempts: string[];
}

export interface RunView {
  readonly id: string;
  readonly project: string;
  readonly pipeline: string;
  readonly pipeline_digest: string | null;
  readonly source: string | null;
  readonly as_of: string;
  readonly work_mode: string;
  readonly run_mode: "mock" | "real";
  readonly enforcement: "shadow" | "enforced";
  readonly params: Record<string, string>;
  readonly requested_at_utc: string;
  readonly requested_by: Actor;
  status: RunStatus;
  result: Verdict | null;
  started_at_utc: string | null;
  finished_at_utc: string | null;
  next: string | null;
  /** How the work mode was chosen; null for runs recorded before selection was. */
  readonly mode_selection: { classified: string | null; override: boolean; source: "flag" | "title" | "pipeline"; title: string | null } | null;
  /** The evidence assessed when the run ended; null while running or after a halt. */
  evidence: { item: string; description: string; required: boolean; met: boolean; by: string[] }[] | null;
  manifest_digest: string | null;
  /** Seed 000: a run counts only with its required evidence met and a next pointer. */
  counted: boolean;
  /** Stop rules that fired for this run, in order. */
  readonly stop_rules: StopRuleView[];
  /** Violations its operators committed, in order; the first one halts the run. */
  readonly violations: ViolationView[];
  readonly tasks: Record<string, TaskView>;
}

/** An attempt in the shape of seed 004's JobAttemptRecord, plus runledger's links. */
export interface AttemptView {
  readonly job_id: string;
  readonly attempt_id: string;
  readonly attempt_number: number;
  readonly operator_ref: string | null;
  status: AttemptStatus;
  readonly created_at_utc: string;
  updated_at_utc: string;
  readonly correlation_ids: { readonly run_id: string; readonly task: string; readonly project: string };
  error_code: string | null;
  retryable: boolean;
  reason: string | null;
  receipt_digest: string | null;
  readonly source_attempt_id: string | null;
  readonly cache_key: string | null;
  /** Set once the attempt passed (PASS or WARN): what consumers may read. */
  result: "PASS" | "WARN" | null;
  outputs: readonly { path: string; digest: string; size_bytes: number }[];
  readonly checks: { name: string; result: Verdict }[];
  /** The attempt's effect calls in ledger order: its decision trace. */
  readonly effects: EffectCallView[];
}

/** One call of an attempt's effects client. */
export interface EffectCallView {
  readonly call_number: number;
  readonly effect: string;
  readonly enforcement: "shadow" | "enforced";
  readonly run_mode: "mock" | "real";
  readonly outcome: "recorded" | "executed" | "refused" | "failed";
  readonly payload_digest: string;
  readonly result_digest: string | null;
  readonly error_code: string | null;
  readonly called_at_utc: string;
}

/** An operator broke its declaration (an undeclared effect, output or secret). */
export interface ViolationView {
  readonly kind: "undeclared_effect" | "undeclared_output" | "undeclared_secret";
  readonly task: string;
  readonly attempt_id: string;
  readonly detail: string;
  readonly recorded_at_utc: string;
}

export interface ArtifactView {
  readonly digest: string;
  readonly size_bytes: number;
  readonly first_seq: number;
  readonly names: string[];
  readonly attempts: string[];
}

export interface StopRuleView {
  readonly rule: string;
  readonly mode: string;
  readonly detail: string;
  readonly subject: string | null;
  readonly run_id: string | null;
  readonly fired_at_utc: string;
}

export interface AdminEventView {
  readonly admin_event_id: string;
  readonly project: string;
  readonly action_type: string;
  readonly actor: Actor;
  readonly observed_at_utc: string;
  readonly reason: string;
  readonly targets: readonly { kind: string; id: string }[];
  readonly before?: unknown;
  readonly after?: unknown;
  readonly result: "applied" | "refused" | "failed";
}

/** Everything the engine shows, derived from events only. */
export interface ProjectionState {
  /** The last event applied. */
  seq: number;
  readonly runs: Record<string, RunView>;
  readonly attempts: Record<string, AttemptView>;
  readonly artifacts: Record<string, ArtifactView>;
  readonly adminEvents: AdminEventView[];
  /** Every stop rule that fired, in ledger order (a run's own are also under the run). */
  readonly stopRules: StopRuleView[];
  /** Cache key → the first attempt that passed with it: what an idempotent re-run reuses. */
  readonly cache: Record<string, string>;
}

export function emptyProjectionState(): ProjectionState {
  return { seq: 0, runs: {}, attempts: {}, artifacts: {}, adminEvents: [], stopRules: [], cache: {} };
}
