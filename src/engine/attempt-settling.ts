import type { CheckResult } from "../checks/check-result.js";
import type { NewEvent } from "../ledger/ledger-event.js";
import type { OperatorResult } from "../operators/operator-definition.js";
import type { AttemptSecrets } from "../secrets/attempt-secrets.js";
import type { AttemptPlan, EngineDeps, RunContext } from "./attempt-context.js";
import type { AttemptLogs } from "./attempt-dir.js";
import type { AttemptFailure, VerdictCap } from "./attempt-verdict.js";
import type { EffectBroker } from "./effect-broker.js";
import type { EffectsSeat } from "./effects-socket.js";

/** Where an attempt does its work: its fresh directory, its log files, the secrets it was given and its placed configs. */
export interface AttemptWorkspace {
  readonly dir: string;
  readonly logs: AttemptLogs;
  readonly secrets: AttemptSecrets;
  readonly configs: Readonly<Record<string, string>>;
}

/** One attempt of an operator at work: its id and workspace, its effects client and (for a command) its seat on the run's effects socket. */
export interface AttemptAtWork extends AttemptWorkspace {
  readonly attemptId: string;
  readonly effects: EffectBroker;
  readonly seat: EffectsSeat | undefined;
}

/** What an attempt's work ends with: a failure, or what the operator returned. */
export type ExecutedWork = { failure?: AttemptFailure; returned?: OperatorResult | void };

/** How an attempt that was started does its work, and what its record adds. */
export interface Settling {
  readonly attemptId: string;
  readonly started: Date;
  /** Does the work in the fresh attempt directory, writing the declared outputs under it. */
  execute(workspace: AttemptWorkspace): Promise<ExecutedWork>;
  /** Events recorded first, in the same append as the outcome. */
  readonly before?: readonly NewEvent[];
  /** Events recorded last, in the same append as the outcome. */
  readonly after?: readonly NewEvent[];
  /** A verdict the attempt cannot be better than, with the failure to record when it is FAIL. */
  readonly cap?: VerdictCap;
  /** For the receipt, when the operator returns none. */
  readonly processorInfo?: string;
  /** Whether a check failure may be retried. Default false. */
  readonly retryChecks?: boolean;
  /** The attempt's effects client: its calls go into the receipt; a violation fails the attempt. */
  readonly effects?: EffectBroker;
}

/** One attempt being settled: what it is, where it works, and the events its one append will record. */
export interface SettlingAttempt {
  readonly deps: EngineDeps;
  readonly run: RunContext;
  readonly plan: AttemptPlan;
  readonly settling: Settling;
  readonly dir: string;
  readonly logs: AttemptLogs;
  /** settling.before, then what the steps add in order. */
  readonly events: NewEvent[];
  readonly event: (e: Omit<NewEvent, "project" | "actor">) => NewEvent;
}

/** What the attempt's work left: filled in step by step, redacted before anything of it is recorded. */
export interface WorkDone {
  failure: AttemptFailure | undefined;
  returned: OperatorResult | void;
  readonly outputs: { path: string; digest: string; size_bytes: number }[];
  checks: CheckResult[];
  /** Everything this attempt writes passes the redactor built from the secrets it was given. */
  secrets: AttemptSecrets;
  violation: { kind: "undeclared_output" | "undeclared_secret"; detail: string } | undefined;
}
