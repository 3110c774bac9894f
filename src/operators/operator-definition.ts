import type { z } from "zod";
import type { Clock } from "../core/clock.js";
import type { GateSpec } from "./gate-spec.js";
import type { CheckSpec } from "../checks/check-spec.js";

/** The operator kinds that can be defined so far: in-process TypeScript, a subprocess, or a person or LLM (manual). */
export type OperatorKind = "function" | "command" | "manual";

/** Who performs a manual operator's steps. */
export type ManualPerformer = "human" | "llm";

/** What a function operator (or any mock provider) receives for one attempt. */
export interface OperatorContext<P = unknown> {
  /** The task's params, parsed by the operator's input schema. */
  readonly params: P;
  /** The run's event time; business logic uses this or `clock`, never the wall clock. */
  readonly asOf: Date;
  readonly clock: Clock;
  readonly runId: string;
  readonly task: string;
  readonly attemptId: string;
  /** Passed outputs of the tasks this task needs: task → (path under outputs/ → absolute file path). */
  readonly inputs: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** The absolute path of this attempt's empty `outputs/` directory; write declared outputs here. */
  readonly outputsDir: string;
  /** Aborted when the attempt's timebox runs out or the run stops; stop promptly when it fires. */
  readonly signal: AbortSignal;
  /** The operator's declared env, after `--param` overrides: what a command operator gets as its environment. */
  readonly env: Readonly<Record<string, string>>;
  /** The only way to reach the outside world: calls to declared effects, recorded, and performed only when the run is enforced and real. */
  readonly effects: EffectsClient;
  /** A structured log line correlated with the run, task and attempt; secret values in it are redacted. */
  log(message: string, fields?: Readonly<Record<string, unknown>>): void;
  /** The operator's declared secrets, read at execution only; a mock run gets none (docs/secrets.md). */
  readonly secrets: { get(name: string): string };
  /** Declared config name → the absolute path of the exact bytes recorded in the receipt's config_versions. */
  readonly configs: Readonly<Record<string, string>>;
}

/** The effects client the engine hands an attempt (seed 001 §2.4). */
export interface EffectsClient {
  /**
   * Calls the effect `name` (one the operator declares under `effects`) with a JSON payload and
   * resolves to its JSON result: the handler's in an enforced real run; `{ shadow: true, … }` from
   * the sink in a shadow or mock run. An undeclared name fails the attempt (ERR_EFFECT_UNDECLARED)
   * and halts the run, whether or not the operator catches the error.
   */
  call(name: string, payload?: unknown): Promise<unknown>;
}

/** What an operator may return: a next pointer, usage counters, and a processor description for the receipt. */
export interface OperatorResult {
  readonly next?: string;
  readonly usage?: Readonly<Record<string, number>>;
  readonly processorInfo?: string;
}

/** The body of a function operator or of a mock provider. */
export type OperatorFn<P = unknown> = (ctx: OperatorContext<P>) => Promise<OperatorResult | void> | OperatorResult | void;

/**
 * A defined operator version, frozen. Built by `defineOperator` (or inline from a YAML task);
 * its invariants are those `validateOperator` checks: legal in at least one mode, at least one
 * check, a positive timebox, outputs unique and under `outputs/`, `run` for kind function and
 * `command` for kind command, non-empty `steps` and at least one declared output for kind manual.
 */
export interface OperatorDefinition<P = unknown> {
  readonly id: string;
  readonly version: string;
  /** `id@version`. */
  readonly ref: string;
  readonly kind: OperatorKind;
  /** The work modes the operator is legal in. */
  readonly modes: readonly string[];
  /** Parses and types the task's params. */
  readonly input: z.ZodType<P>;
  /** Declared outputs, normalized, each `outputs/<relative path>`. */
  readonly outputs: readonly string[];
  readonly checks: readonly CheckSpec[];
  readonly timeoutMs: number;
  readonly retries: number;
  /** The declared environment a command runs with (besides the minimal base and RUNLEDGER_*). */
  readonly env: Readonly<Record<string, string>>;
  readonly effects: readonly string[];
  readonly secrets: readonly string[];
  /** Config name → file path (relative to the pipeline file's directory); each is versioned by content in the receipt and cache key. */
  readonly configs?: Readonly<Record<string, string>>;
  readonly evidence: readonly string[];
  readonly description?: string;
  /** The in-process body, for kind function. Method syntax keeps definitions with typed params assignable to `OperatorDefinition`. */
  run?(ctx: OperatorContext<P>): Promise<OperatorResult | void> | OperatorResult | void;
  /** The argv, for kind command. */
  readonly command?: readonly string[];
  /** The argv a command operator runs instead of `command` in mock runs. */
  readonly mockCommand?: readonly string[];
  /** For kind manual: the bounded procedure a person or an LLM performs; the run waits for `runledger complete`. */
  readonly steps?: readonly string[];
  /** For kind manual: who performs the steps. Default human. */
  readonly by?: ManualPerformer;
  /** Set on a gate's operator: its chosen outputs, approval, required watermarks and the watermark it advances. */
  readonly gate?: GateSpec;
  /** The mock provider used in mock runs, for either kind. */
  mock?(ctx: OperatorContext<P>): Promise<OperatorResult | void> | OperatorResult | void;
}
