import type { Issue } from "../core/errors.js";

/** What an effect handler learns about the call besides its payload. */
export interface EffectCallContext {
  readonly effect: string;
  readonly runId: string;
  readonly task: string;
  readonly attemptId: string;
  /** Aborted when the attempt ends or runs out of time; pass it on to fetch and the like. */
  readonly signal: AbortSignal;
}

/** Performs an effect for real (enforced runs); resolves to a JSON value, the call's result. */
export type EffectExecute = (payload: unknown, context: EffectCallContext) => Promise<unknown> | unknown;

/**
 * How a pipeline handles one effect name: a function (it performs the effect), or an object with
 * `execute` (performs it; default the built-in handler of that name, e.g. http.post) and `shadow`
 * (a deterministic fake result for shadow and mock runs, merged into `{ shadow: true }`).
 */
export type EffectHandler = EffectExecute | { readonly execute?: EffectExecute; readonly shadow?: (payload: unknown) => unknown };

/** The handlers of one effect name, normalized. */
export interface EffectHandlerParts {
  readonly execute?: EffectExecute;
  readonly shadow?: (payload: unknown) => unknown;
}

/** Normalizes a handler to its parts. */
export function effectHandlerParts(handler: EffectHandler | undefined): EffectHandlerParts {
  if (handler === undefined) return {};
  return typeof handler === "function" ? { execute: handler } : handler;
}

/** The problems of a pipeline's `effects` map: each key a non-empty name, each value a function or { execute?, shadow? } of functions. */
export function effectHandlerIssues(effects: unknown): Issue[] {
  if (effects === undefined) return [];
  if (typeof effects !== "object" || effects === null || Array.isArray(effects)) {
    return [{ code: "ERR_SCHEMA", path: ["effects"], message: "effects must map effect names to handlers" }];
  }
  const issues: Issue[] = [];
  for (const [name, handler] of Object.entries(effects)) {
    const path = ["effects", name];
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name))
      issues.push({ code: "ERR_SCHEMA", path, message: `effect name ${JSON.stringify(name)}: expected letters, digits, '.', '_' or '-'` });
    if (typeof handler === "function") continue;
    const parts = typeof handler === "object" && handler !== null ? (handler as Record<string, unknown>) : undefined;
    const bad = parts === undefined || Object.keys(parts).some((key) => (key !== "execute" && key !== "shadow") || typeof parts[key] !== "function");
    if (bad) issues.push({ code: "ERR_SCHEMA", path, message: `effect ${name}: expected a function, or { execute?, shadow? } of functions` });
  }
  return issues;
}
