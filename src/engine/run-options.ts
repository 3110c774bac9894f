import type { ModeRegistry } from "../modes/mode-registry.js";
import type { OperatorRegistry } from "../operators/operator-registry.js";
import type { ManualCompletion } from "./manual-attempt.js";
import type { Enforcement, RunMode } from "../contracts/run-mode.js";

/** How a run is started. */
export interface RunOptions {
  readonly project: string;
  /** The run's event time; defaults to the moment the run is requested, recorded once. */
  readonly asOf?: Date;
  /** Run parameters; a key that a command operator declares under `env:` overrides that value. */
  readonly params?: Readonly<Record<string, string>>;
  /** Run every task even when a passed attempt with the same cache key exists. */
  readonly noCache?: boolean;
  /** At most this many attempts at once; defaults to the number of cores. */
  readonly concurrency?: number;
  readonly registry?: OperatorRegistry;
  /** The work modes known; default seed 000's six. */
  readonly modes?: ModeRegistry;
  /** The run's work mode; overrides the title's classification and the pipeline's `mode`. */
  readonly mode?: string;
  /** A title classified into the work mode by the keyword table when `mode` is not given. */
  readonly title?: string;
  /** The next pointer; wins over what operators return. */
  readonly next?: string;
  /** `mock` or `real`; default the pipeline's `runMode`, else `real`. Never inferred from the environment. */
  readonly runMode?: RunMode;
  /** `shadow` or `enforced`; default the pipeline's `enforcement`, else `enforced`. Resume keeps the run's. */
  readonly enforcement?: Enforcement;
  /** Whether the caller runs in CI (`CI=true`): a `real` run of a pipeline with effects or secrets is refused. */
  readonly ci?: boolean;
}

/** What resuming or completing a run takes: the run's own settings are the ledger's. */
export type ResumeOptions = Omit<RunOptions, "asOf" | "params" | "mode" | "title" | "runMode" | "ci" | "enforcement">;

/** Run options inside the engine: a completion `completeTask` brings along. */
export type EngineOptions = Omit<RunOptions, "asOf"> & { readonly completion?: ManualCompletion };
