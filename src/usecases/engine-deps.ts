import type { EngineDeps } from "../engine/index.js";
import type { ModeRegistry } from "../modes/mode-registry.js";
import type { ReadDeps } from "./deps.js";

/** What a use case that drives the engine needs: the engine's ports, the present state and the workspace's modes. */
export interface EngineUseCaseDeps extends ReadDeps {
  readonly engine: EngineDeps;
  readonly modes: ModeRegistry;
}
