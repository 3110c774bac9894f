import { RunledgerError } from "../core/errors.js";

/** The abort signal one check runs under: the caller's signal combined with the check's time limit. */
export interface CheckDeadline {
  readonly signal: AbortSignal;
  /** FAIL evidence for an aborted check: `{ reason: "timed out", timedOut: true, timeoutMs }` or `{ reason: "aborted" }`. */
  abortEvidence(): Record<string, unknown>;
  /** Clears the timer and detaches from the caller's signal; call once the check is over. */
  dispose(): void;
}

/** Starts a deadline; `timeoutMs` undefined means only the caller's signal can end the check. */
export function startCheckDeadline(parent: AbortSignal | undefined, timeoutMs: number | undefined): CheckDeadline {
  const controller = new AbortController();
  let timedOut = false;
  const onParentAbort = (): void => controller.abort(parent?.reason);
  if (parent?.aborted) onParentAbort();
  else parent?.addEventListener("abort", onParentAbort, { once: true });
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          controller.abort(new RunledgerError("ERR_TIMEOUT", { detail: `check exceeded ${timeoutMs} ms` }));
        }, timeoutMs);
  return {
    signal: controller.signal,
    abortEvidence: () => (timedOut ? { reason: "timed out", timedOut: true, timeoutMs } : { reason: "aborted" }),
    dispose: () => {
      if (timer !== undefined) clearTimeout(timer);
      parent?.removeEventListener("abort", onParentAbort);
    },
  };
}
