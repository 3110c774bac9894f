import type { Actor } from "../../contracts/common.js";
import type { Enforcement, RunMode } from "../../contracts/run-mode.js";
import type { Verdict } from "../../contracts/verdict.js";
import type { DefinitionVersion, WatermarkView } from "./watermark-state.js";

export type RunStatus = "requested" | "running" | "waiting" | "paused" | "succeeded" | "degraded" | "failed" | "halted";
export type AttemptStatus = "running" | "waiting" | "succeeded" | "failed" | "abandoned" | "reused";

export interface TaskView {
  readonly name: string;
  outcome: "PENDING" | "RUNNING" | "WAITING" | "SUCCESS" | "SKIPPED" | "FAILED";
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
  readonly run_mode: RunMode;
  readonly enforcement: Enforcement;
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
  readonly violations: RunViolationView[];
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
  result: Exclude<Verdict, "FAIL"> | null;
  outputs: readonly { path: string; digest: string; size_bytes: number }[];
  readonly checks: { name: string; result: Verdict }[];
  /** For a manual attempt: its steps, who performs them, the evidence files expected, and the end of its timebox. */
  manual: { steps: readonly string[]; by: "human" | "llm"; outputs: readonly string[]; deadline_utc: string } | null;
  /** For a completed manual attempt: who completed it, the result they recorded, their note, and whether it came after the timebox. */
  completion: { actor: Actor; result: Verdict; note: string | null; late: boolean; at_utc: string } | null;
  /** The attempt's effect calls in ledger order: its decision trace. */
  readonly effects: EffectCallView[];
}

/** One call of an attempt's effects client. */
export interface EffectCallView {
  readonly call_number: number;
  readonly effect: string;
  readonly enforcement: Enforcement;
  readonly run_mode: RunMode;
  readonly outcome: "recorded" | "executed" | "refused" | "failed";
  readonly payload_digest: string;
  readonly result_digest: string | null;
  readonly error_code: string | null;
  readonly called_at_utc: string;
}

/** An operator broke its declaration (an undeclared effect, output or secret), as its run shows it. */
export interface RunViolationView {
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
  /** The ledger sequence number of the event: orders admin events among other facts. */
  readonly seq: number;
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

/** One gate's decision in one run: its checks, then (where it needs one) a person's approval or rejection. */
export interface GateView {
  readonly gate: string;
  readonly run_id: string;
  readonly task: string;
  status: "passed" | "failed" | "awaiting_approval" | "approved" | "rejected";
  readonly result: Verdict;
  readonly approval: boolean;
  readonly checks: readonly { name: string; result: Verdict }[];
  readonly advances: { watermark: string; value: string; definition?: DefinitionVersion | undefined } | null;
  readonly evaluated_at_utc: string;
  decided_by: Actor | null;
  decided_at_utc: string | null;
  reason: string | null;
}

/** An operator's breach of its declaration, as recorded when its attempt failed for it. */
export interface ViolationView {
  readonly seq: number;
  readonly run_id: string;
  readonly task: string;
  readonly attempt_id: string;
  readonly operator_ref: string;
  readonly kind: string;
  readonly detail: string;
  readonly at_utc: string;
}

/** A monitor's suggestion, recorded once however often the monitor runs. */
export interface SuggestionView {
  readonly key: string;
  readonly monitor: string;
  readonly level: "INFO" | "WARN";
  readonly subject: string;
  readonly message: string;
  readonly at_utc: string;
}

/** An evidence file of a DebugPacket experiment, stored in the artifact store. */
export interface EvidenceFileView {
  readonly digest: string;
  readonly name: string;
  readonly size_bytes: number;
}

/** A DebugPacket (seed 000) as its debug.* events leave it; see src/debug/ for the contract shape. */
export interface DebugPacketView {
  readonly id: string;
  readonly project: string;
  readonly run_id: string;
  /** The failed run's work mode when the packet was opened. */
  readonly work_mode: string;
  readonly opened_at_utc: string;
  readonly opened_by: Actor;
  readonly symptom: string;
  readonly context: string | Record<string, unknown>;
  readonly minimal_repro: { commands: string[]; inputs: string[] | Record<string, unknown>; expected: string; actual: string };
  readonly hypotheses: string[];
  readonly experiments: { change: string; result: string; evidence: EvidenceFileView[] }[];
  decision: string;
  next: string;
  regression_guard: string;
  time_spent_minutes: number;
  status: "open" | "closed";
  closed_at_utc: string | null;
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
  /** DebugPackets by id, in the order they were opened. */
  readonly debugPackets: Record<string, DebugPacketView>;
  /** Cache key → the first attempt that passed with it: what an idempotent re-run reuses. */
  readonly cache: Record<string, string>;
  /** Gate decisions by `run_id/gate`. */
  readonly gates: Record<string, GateView>;
  /** Watermarks by name. */
  readonly watermarks: Record<string, WatermarkView>;
  /** Every violation, in ledger order, with the operator that committed it. */
  readonly violations: ViolationView[];
  /** Monitor suggestions by key, first recorded first. */
  readonly suggestions: Record<string, SuggestionView>;
}

export function emptyProjectionState(): ProjectionState {
  return {
    seq: 0,
    runs: {},
    attempts: {},
    artifacts: {},
    adminEvents: [],
    stopRules: [],
    debugPackets: {},
    cache: {},
    gates: {},
    watermarks: {},
    violations: [],
    suggestions: {},
  };
}
