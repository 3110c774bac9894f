import type { EngineDeps, ResumeOptions } from "../engine/index.js";
import type { ModeRegistry } from "../modes/mode-registry.js";
import type { ReadDeps } from "./deps.js";

/** What a use case that drives the engine needs: the engine's ports, the read models and the workspace's modes. */
export interface EngineUseCaseDeps extends ReadDeps {
  readonly engine: EngineDeps;
  readonly modes: ModeRegistry;
}

/** The engine's options to go on with a run: its project, the workspace's modes, and the caller's next pointer and concurrency. */
export function continueOptions(
  deps: EngineUseCaseDeps,
  run: { readonly project: string },
  input: { readonly next?: string | undefined; readonly concurrency?: number | undefined },
): ResumeOptions {
  return {
    project: run.project,
    modes: deps.modes,
    ...(input.next === undefined ? {} : { next: input.next }),
    ...(input.concurrency === undefined ? {} : { concurrency: input.concurrency }),
  };
}
