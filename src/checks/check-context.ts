import type { SandboxSpec } from "../processes/sandbox.js";

/** Where and under which limits checks run. */
export interface CheckContext {
  /** Absolute directory that holds `outputs/…`; every path in a check spec is relative to it and stays inside it. */
  readonly dir: string;
  /** Aborting ends the running check with FAIL `{ reason: "aborted" }` (a command check's process group is killed). */
  readonly signal?: AbortSignal | undefined;
  /** Per-check time limit in ms; command checks default to 60 000, other checks are unbounded unless set. */
  readonly timeoutMs?: number | undefined;
  /** Variables added to a command check's minimal environment (PATH, HOME, LANG, TMPDIR). */
  readonly env?: Readonly<Record<string, string>> | undefined;
  /** Where command checks run: a sandbox that sees `dir` read-only; none: unsandboxed. */
  readonly sandbox?: SandboxSpec | undefined;
}
