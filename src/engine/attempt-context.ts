import type { ArtifactStore } from "../artifacts/artifact-store.js";
import type { Actor } from "../contracts/common.js";
import type { Clock } from "../core/clock.js";
import type { ErrorCode } from "../core/errors.js";
import type { IdSource } from "../core/ids.js";
import type { Ledger } from "../ledger/ledger.js";
import type { NewEvent } from "../ledger/ledger-event.js";
import type { OperatorDefinition } from "../operators/operator-definition.js";
import type { WorkMode } from "../modes/work-mode.js";
import type { PipelineTask } from "../pipelines/define-pipeline.js";
import type { OutputLimitsSetting } from "../pipelines/output-limits.js";
import type { ConfigFile } from "../configs/config-files.js";
import type { SecretSource } from "../secrets/secret-source.js";
import type { EffectHandler } from "../pipelines/effect-handler.js";
import type { InputRef } from "./cache-key.js";
import type { EffectsSocket } from "./effects-socket.js";
import type { RunSandbox } from "./sandbox.js";
import type { Verdict } from "../contracts/verdict.js";
import type { Enforcement, RunMode } from "../contracts/run-mode.js";

/** The ports and settings an engine works with; it never names a backend. */
export interface EngineDeps {
  readonly ledger: Ledger;
  readonly artifacts: ArtifactStore;
  readonly actor: Actor;
  /** Where attempts get their fresh working directories. */
  readonly workRoot: string;
  readonly clock?: Clock;
  readonly ids?: IdSource;
  /**
   * Claims a run for this engine before it starts or resumes one, and returns the release; throws
   * when another live engine holds it. Two engines never drive the same run at once.
   */
  readonly claimRun?: (runId: string) => Promise<() => Promise<void>>;
  /** Where declared secrets are read, at execution only (never for a mock run); none: every declared secret is missing. */
  readonly secrets?: SecretSource;
  /** Told when a task starts and when it settles; for live progress, never for state (the ledger holds that). */
  readonly onProgress?: (progress: TaskProgress) => void;
  /** Told of what runs but deserves attention, such as a deprecated operator. */
  readonly onWarning?: (message: string) => void;
  /** The workspace's output size limits (runledger.json `limits`); a pipeline's own win, field by field. */
  readonly limits?: OutputLimitsSetting;
  /** What the sandbox of every command hides besides the work root: the workspace's state, ledger and store. */
  readonly sandbox?: { readonly hide: readonly string[] };
}

export type TaskProgress =
  | { readonly task: string; readonly state: "started" }
  | {
      readonly task: string;
      readonly state: "passed" | "failed" | "skipped" | "reused" | "waiting";
      readonly result: Verdict | null;
      readonly reason: string | null;
    };

/** What one run fixes for all its attempts. */
export interface RunContext {
  readonly id: string;
  readonly project: string;
  readonly asOf: Date;
  /** The run's one work mode (seed 000). */
  readonly workMode: WorkMode;
  readonly runMode: RunMode;
  /** shadow: effect calls go to the sink; enforced: they happen (in real runs; mock runs always sink). */
  readonly enforcement: Enforcement;
  /** The pipeline's effect handlers, by effect name. */
  readonly effects: Readonly<Record<string, EffectHandler>>;
  /** The directory of the pipeline file, for commands that read files bundled with it. */
  readonly pipelineDir: string | undefined;
  /** Housekeeping attempts leave behind them (removing their directories); the run ends after it. */
  readonly background: BackgroundWork;
  /** Aborted when the run halts: the attempts in flight are stopped (ERR_RUN_HALTED), none is waited out. */
  readonly halting: AbortController;
  /** The socket the run's command attempts call effects through; closed when the run's engine stops. */
  readonly effectsSocket: EffectsSocket;
  /** The pipeline's output size limits, if it sets any. */
  readonly limits?: OutputLimitsSetting;
  /** Where the run's commands run: in a sandbox, or (the pipeline's `sandbox: off`) as they are. */
  readonly sandbox: RunSandbox;
}

/**
 * Work that need not hold up the task that started it, such as removing a settled attempt's
 * directory: it runs while the next tasks do, and `settled()` waits for all of it. Its failures are
 * dropped; what it leaves behind is only disk space under the work root.
 */
export class BackgroundWork {
  readonly #pending = new Set<Promise<void>>();

  add(work: Promise<unknown>): void {
    const tracked: Promise<void> = work.then(
      () => undefined,
      () => undefined,
    );
    this.#pending.add(tracked);
    void tracked.then(() => this.#pending.delete(tracked));
  }

  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }
}

/** Everything one attempt of one task needs, resolved before it starts. */
export interface AttemptPlan {
  readonly task: PipelineTask;
  readonly operator: OperatorDefinition;
  readonly jobId: string;
  readonly attemptNumber: number;
  readonly inputs: readonly InputRef[];
  readonly params: unknown;
  readonly env: Readonly<Record<string, string>>;
  readonly inputsHash: string;
  readonly envFingerprint: string;
  readonly codeDigest: string;
  readonly cacheKey: string;
  /** The configs the operator declares, read once for the cache key; the attempt gets these exact bytes. */
  readonly configs?: readonly ConfigFile[];
}

export interface AttemptOutcome {
  readonly attemptId: string;
  /** PASS or WARN when the attempt passed; FAIL otherwise. */
  readonly result: Verdict;
  readonly outputs: readonly { path: string; digest: string; size_bytes: number }[];
  readonly retryable: boolean;
  readonly reason: string | null;
  /** Why the attempt failed (ERR_TIMEOUT when it ran past its timebox); null when it passed. */
  readonly errorCode: ErrorCode | null;
  readonly next: string | null;
  /** Set when the operator broke its declaration (e.g. called an undeclared effect): the run halts. */
  readonly violation: string | null;
  /** The attempt's checks and their verdicts, as recorded (none when it failed before its checks ran). */
  readonly checks: readonly { readonly name: string; readonly result: Verdict }[];
}

/** An event of this run, by this engine's actor. */
export function runEvent(deps: Pick<EngineDeps, "actor">, run: Pick<RunContext, "project">, e: Omit<NewEvent, "project" | "actor">): NewEvent {
  return { ...e, project: run.project, actor: deps.actor } as NewEvent;
}
