import { dirname } from "node:path";
import { RunledgerError } from "../core/errors.js";
import type { PipelineDefinition } from "../pipelines/define-pipeline.js";
import { SANDBOX_KIND, sandboxUnavailable, type SandboxSpec } from "../processes/sandbox.js";
import type { EngineDeps, RunContext } from "./attempt-context.js";

/**
 * How a run's commands (command operators and command checks) are started: in a sandbox that
 * hides `hide` (with the work root), or, when the pipeline says `sandbox: off`, as they are.
 */
export type RunSandbox = { readonly kind: typeof SANDBOX_KIND; readonly hide: readonly string[] } | { readonly kind: "off" };

/**
 * The run's sandbox, decided once before any task starts: off when the pipeline says so;
 * otherwise ERR_SANDBOX_UNAVAILABLE, naming why, when the sandbox cannot start on this machine.
 */
export function runSandbox(def: Pick<PipelineDefinition, "sandbox">, deps: Pick<EngineDeps, "sandbox" | "workRoot">): RunSandbox {
  if (def.sandbox === "off") return { kind: "off" };
  const why = sandboxUnavailable();
  if (why !== null) throw new RunledgerError("ERR_SANDBOX_UNAVAILABLE", { detail: why });
  // Every attempt's directory lies under the work root: hidden, each gets only its own back.
  return { kind: SANDBOX_KIND, hide: [...(deps.sandbox?.hide ?? []), deps.workRoot] };
}

/**
 * The sandbox of a command attempt: its directory read-write, its effects socket's directory
 * revealed; the network only in an enforced real run. Undefined when off.
 */
export function attemptSandbox(run: RunContext, dir: string, socketPath: string | undefined): SandboxSpec | undefined {
  if (run.sandbox.kind === "off") return undefined;
  return { hide: run.sandbox.hide, writable: [dir], revealed: socketPath ? [dirname(socketPath)] : [], network: hasNetwork(run) };
}

/** The sandbox of a command check of an attempt: the attempt's directory read-only, as the checks only read it. */
export function checkSandbox(run: RunContext, dir: string): SandboxSpec | undefined {
  if (run.sandbox.kind === "off") return undefined;
  return { hide: run.sandbox.hide, writable: [], revealed: [dir], network: hasNetwork(run) };
}

/** Shadow and mock runs promise that nothing external happens: their commands get no network. */
function hasNetwork(run: RunContext): boolean {
  return run.runMode === "real" && run.enforcement === "enforced";
}
