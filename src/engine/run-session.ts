import { dirname } from "node:path";
import type { ProjectionState } from "../ledger/projections/projection-state.js";
import type { AdmissionFacts } from "./admission.js";
import type { CacheIndex } from "./cache-index.js";
import type { OperatorRegistry } from "../operators/operator-registry.js";
import type { PipelineDefinition } from "../pipelines/define-pipeline.js";
import { BackgroundWork, type EngineDeps, type RunContext, type TaskProgress } from "./attempt-context.js";
import { haltForEngineError } from "./engine-fault.js";
import { EffectsSocket } from "./effects-socket.js";
import type { EngineOptions } from "./run-options.js";

/** What every task of one engine's drive of a run shares. */
export interface RunSession {
  readonly deps: EngineDeps;
  readonly run: RunContext;
  /** The definition as the run's mode makes it. */
  readonly def: PipelineDefinition;
  readonly registry: OperatorRegistry | undefined;
  readonly options: EngineOptions;
  /** The run's own state as read when this engine took it up (its tasks, attempts, gates); empty for a new run. */
  readonly past: ProjectionState;
  /** The passed attempts the run may reuse, by cache key. */
  readonly cache: CacheIndex;
  /** The controls read at admission: where the run's PauseWatch starts. */
  readonly admission: AdmissionFacts;
  /** Told when a task starts and when it settles (deps.onProgress, or nothing). */
  readonly progress: (progress: TaskProgress) => void;
}

/** What a verb read before driving the run: the run's own state, the cache index and the controls. */
export type SessionReads = Pick<RunSession, "past" | "cache" | "admission">;

/** The parts of a RunSession its verb decides; the rest follows from them. */
export function runSession(deps: EngineDeps, run: RunContext, def: PipelineDefinition, reads: SessionReads, options: EngineOptions): RunSession {
  return { deps, run, def, registry: options.registry, options, ...reads, progress: deps.onProgress ?? ignoreProgress };
}

function ignoreProgress(): void {}

/** What a run's verb settles before it runs anything: the rest of the RunContext follows from the definition. */
export type RunSettings = Pick<RunContext, "id" | "project" | "asOf" | "workMode" | "runMode" | "enforcement" | "sandbox">;

/** The run's context: the settings, with the definition's effects, directory and limits, and the run's own halting, housekeeping and effects socket. */
export function runContext(def: PipelineDefinition, settings: RunSettings): RunContext {
  const isFile = def.source !== "typescript";
  const halting = new AbortController();
  // An error in the socket's own callbacks has no caller to reach: it halts the run (the driver closes it).
  const effectsSocket = new EffectsSocket((error) => haltForEngineError(halting, error));
  return {
    ...settings,
    effects: def.effects ?? {},
    pipelineDir: isFile ? dirname(def.source) : undefined,
    background: new BackgroundWork(),
    halting,
    effectsSocket,
    ...(def.limits && { limits: def.limits }),
  };
}

/** Where relative config paths point: the pipeline file's directory, or the working directory for a pipeline defined in code. */
export function baseDirOf(def: PipelineDefinition): string {
  return def.source !== "typescript" ? dirname(def.source) : process.cwd();
}
