/**
 * The error canon: every error a user can see has a stable `ERR_*` code and a stable message
 * fragment. Tests assert code + fragment; the CLI renders what happened, why, how to fix, and the code.
 */

/** `input` errors are the caller's to fix (CLI exit 2); `failure` errors are runtime failures (exit 1). */
export type ErrorKind = "input" | "failure";

interface CanonEntry {
  readonly fragment: string;
  readonly kind: ErrorKind;
  readonly hint: string;
}

/** The closed set of error codes with their stable fragments. Seed 002's canon first, then the engine's own. */
export const ERROR_CANON = {
  // seed 002 canon; its Modal and image-pinning codes join when an adapter raises them
  ERR_CI_SAFETY: { fragment: "Refusing to run mode=real in CI", kind: "input", hint: "Run with --run-mode mock in CI, or run mode=real outside CI." },
  ERR_MISSING_SECRET: { fragment: "missing required secret", kind: "input", hint: "Set the secret with `runledger secret set NAME` before running." },
  ERR_OUTPUT_UNDECLARED: {
    fragment: "output not declared by the operator",
    kind: "failure",
    hint: 'Declare every file the operator writes under outputs: (or write scratch files outside outputs/); the violation quarantined the operator: review it, then `runledger operator activate REF --reason "…"`.',
  },
  ERR_SECRET_UNDECLARED: {
    fragment: "secret not declared by the operator",
    kind: "input",
    hint: "Add the secret's name to the operator's secrets (secrets: [NAME]); an operator reads only what it declares.",
  },
  ERR_OUTPUT_DUPLICATE: { fragment: "duplicate output after canonicalization", kind: "failure", hint: "Give every declared output a distinct canonical path." },
  ERR_ADAPTER_INVOCATION: { fragment: "adapter invocation failed", kind: "failure", hint: "Inspect the attempt's stderr artifact and receipt." },
  ERR_TIMEOUT: { fragment: "timed out", kind: "failure", hint: "Raise the timebox or make the work smaller." },
  ERR_RUN_HALTED: {
    fragment: "stopped because the run halted",
    kind: "failure",
    hint: "Read what halted the run with `runledger show <run>` (a violation, or an engine error); fix it and start a new run.",
  },
  ERR_INPUTS: { fragment: "invalid inputs payload", kind: "input", hint: "Pass inputs that match the operator's input schema." },
  // engine
  ERR_USAGE: { fragment: "invalid usage", kind: "input", hint: "Run `runledger --help` for the commands and their options." },
  ERR_VALIDATION: { fragment: "invalid definition", kind: "input", hint: "Fix every listed issue; each names its path." },
  ERR_YAML: { fragment: "invalid YAML", kind: "input", hint: "Fix the YAML syntax at the named line and column." },
  ERR_SCHEMA: { fragment: "does not match the definition schema", kind: "input", hint: "Fix the named field; see docs/pipelines.md for the format." },
  ERR_UNKNOWN_OPERATOR: { fragment: "unknown operator", kind: "input", hint: "Register the operator, or fix the reference (id@version)." },
  ERR_UNKNOWN_NEEDS: { fragment: "needs an unknown task", kind: "input", hint: "Name an existing task of the same pipeline in `needs`." },
  ERR_DAG_CYCLE: { fragment: "dependency cycle", kind: "input", hint: "Break the cycle: a task may not depend on itself through `needs`." },
  ERR_OUTPUT_OUTSIDE: { fragment: "output outside outputs/", kind: "input", hint: "Declare outputs as relative paths under outputs/." },
  ERR_NO_CHECK: { fragment: "operator has no acceptance check", kind: "input", hint: "Give the operator at least one check, e.g. { nonEmpty: outputs/x }." },
  ERR_NO_TIMEBOX: { fragment: "operator has no timebox", kind: "input", hint: "Give the operator a timeout, e.g. timeout: 30s." },
  ERR_CHECK_INVALID: {
    fragment: "invalid check",
    kind: "input",
    hint: "Use a built-in check (nonEmpty, jsonSchema, rowCount, rows, command) or a custom one.",
  },
  ERR_MODE_ILLEGAL: {
    fragment: "operator not legal in this work mode",
    kind: "input",
    hint: "Run in one of the operator's modes, or add the mode to the operator.",
  },
  ERR_MODE_UNKNOWN: {
    fragment: "unknown work mode",
    kind: "input",
    hint: "Use a mode listed by `runledger modes`, or add it to the workspace config's modes.",
  },
  ERR_MODE_UNCLASSIFIED: {
    fragment: "title matches no work mode",
    kind: "input",
    hint: 'Choose the mode with --mode NAME; `runledger classify "title"` shows the keyword table\'s decision.',
  },
  ERR_NO_MOCK: {
    fragment: "operator has no mock provider",
    kind: "input",
    hint: "Give the operator a mock (mock: in YAML, mock in defineOperator), or run with --run-mode real outside CI.",
  },
  ERR_FORBIDDEN: {
    fragment: "actor lacks the required role",
    kind: "input",
    hint: "Present a token (RUNLEDGER_TOKEN or --token-file FILE) of an actor with the role; an admin grants roles with `runledger access grant`.",
  },
  ERR_REASON_REQUIRED: { fragment: "a reason is required", kind: "input", hint: 'Say why with --reason "…"; every admin action is audited with its reason.' },
  ERR_CONFIRM_REQUIRED: {
    fragment: "confirmation required",
    kind: "input",
    hint: 'An emergency action needs --justification "…" and --confirm; both are recorded with the actor.',
  },
  ERR_PAUSED: {
    fragment: "paused or draining",
    kind: "input",
    hint: 'An admin lifts it with `runledger admin resume --reason "…"`; `runledger audit --action pause` shows who paused and why.',
  },
  ERR_OPERATOR_INACTIVE: {
    fragment: "operator may not run",
    kind: "input",
    hint: '`runledger operator show REF` shows its lifecycle; an admin activates it with `runledger operator activate REF --reason "…"`.',
  },
  ERR_LIFECYCLE: {
    fragment: "illegal lifecycle transition",
    kind: "input",
    hint: "Operators move REGISTERED → ACTIVE → DEPRECATED → REMOVED; a QUARANTINED one is reviewed and activated again, or removed.",
  },
  ERR_WATERMARK_REGRESSION: {
    fragment: "watermark only moves forward",
    kind: "input",
    hint: "Advance it to a later value through its gate; a rollback is an override with --justification and --confirm.",
  },
  ERR_WATERMARK_NOT_FOUND: {
    fragment: "no such watermark",
    kind: "input",
    hint: "`runledger watermark list` shows the watermarks; a gate with `advances:` creates one when it first passes.",
  },
  ERR_GATE_NOT_FOUND: { fragment: "no such gate", kind: "input", hint: "`runledger gate status` lists the gates and the runs awaiting a decision." },
  ERR_GATE_NOT_APPROVABLE: {
    fragment: "gate cannot be approved",
    kind: "input",
    hint: "Only a gate whose checks passed and that awaits approval can be approved; fix the inputs and run again.",
  },
  ERR_MONITOR_REFUSED: {
    fragment: "monitors may only suggest",
    kind: "input",
    hint: "A monitor returns [SUGGESTION] entries at INFO or WARN and changes nothing; move any action to an operator behind a gate.",
  },
  ERR_EFFECT_UNDECLARED: {
    fragment: "effect not declared by the operator",
    kind: "failure",
    hint: "Declare the effect in the operator's effects: list, or stop calling it; the violation is recorded and the run halted.",
  },
  ERR_EFFECT_UNHANDLED: {
    fragment: "no handler for the effect",
    kind: "failure",
    hint: "Register a handler with definePipeline({ effects: { name: … } }), or run with --enforcement shadow.",
  },
  ERR_EFFECT_PAYLOAD: {
    fragment: "invalid effect payload",
    kind: "input",
    hint: "Send a JSON payload the effect accepts; http.post takes { url, body, headers? }.",
  },
  ERR_EFFECT_FAILED: {
    fragment: "effect failed",
    kind: "failure",
    hint: "Read the effect.called event and its payload artifact (`runledger show <run> --json`); fix the endpoint or the payload.",
  },
  ERR_SANDBOX_UNAVAILABLE: {
    fragment: "command sandbox unavailable",
    kind: "failure",
    hint: "Install bubblewrap (Debian: apt-get install bubblewrap) and allow it user namespaces, or set `sandbox: off` on the pipeline (recorded in every receipt; see docs/sandbox.md).",
  },
  ERR_OUTPUT_SYMLINK: {
    fragment: "output is a symbolic link",
    kind: "failure",
    hint: "Write outputs as regular files inside outputs/; a link is never followed into the store.",
  },
  ERR_OUTPUT_TOO_LARGE: {
    fragment: "output exceeds its size limit",
    kind: "failure",
    hint: "Write less, or raise the limit with `limits: { outputBytes, attemptBytes }` on the pipeline or in runledger.json.",
  },
  ERR_EFFECTS_LIMIT: {
    fragment: "effects socket limit exceeded",
    kind: "failure",
    hint: "Send requests of at most 1 MiB each, at most 1,000 per attempt; put large payloads in an output instead.",
  },
  ERR_SECRET_TOO_SHORT: {
    fragment: "secret value too short",
    kind: "input",
    hint: "Use a value of at least 8 characters: shorter ones would mask unrelated text everywhere and give themselves away.",
  },
  ERR_ACTOR_INVALID: {
    fragment: "invalid actor",
    kind: "input",
    hint: "Write an actor as kind:id, kind human, llm or service, with no control characters (e.g. --actor human:alice).",
  },
  ERR_FILE_NOT_FOUND: { fragment: "file not found", kind: "input", hint: "Check the path; relative paths are read from the working directory." },
  ERR_WORKSPACE_PERMISSIONS: {
    fragment: "workspace readable by other users",
    kind: "failure",
    hint: "Restrict it to its owner: chmod -R go-rwx .runledger (runledger creates it 0700, its files 0600).",
  },
  ERR_CONFIG: { fragment: "invalid workspace config", kind: "input", hint: "Fix runledger.json; each issue names its path." },
  ERR_WORKSPACE_NOT_FOUND: { fragment: "no runledger workspace", kind: "input", hint: "Run `runledger init` first, or pass --workspace DIR." },
  ERR_WORKSPACE_EXISTS: { fragment: "workspace already initialized", kind: "input", hint: "Use the existing workspace, or choose another directory." },
  ERR_CANONICAL_JSON: { fragment: "value cannot be canonicalized", kind: "input", hint: "Use only JSON values: no undefined, functions, NaN or Infinity." },
  ERR_DIGEST_INVALID: { fragment: "invalid digest", kind: "input", hint: "Write digests as sha256:<64 lowercase hex>." },
  ERR_EVENT_INVALID: { fragment: "invalid ledger event", kind: "input", hint: "Append only events of the catalogue with a valid payload." },
  ERR_LEDGER_TAMPERED: {
    fragment: "ledger hash chain broken",
    kind: "failure",
    hint: "Restore the ledger from a trusted copy; the named event is the first bad one.",
  },
  ERR_READ_MODEL_DRIFT: {
    fragment: "read models differ from the ledger",
    kind: "failure",
    hint: 'The events are intact; rebuild what derives from them: runledger admin rebuild-read-models --reason "…".',
  },
  ERR_ARTIFACT_CORRUPT: {
    fragment: "artifact digest mismatch",
    kind: "failure",
    hint: "Restore the blob from a trusted copy or re-run the task that produced it.",
  },
  ERR_ARTIFACT_MISSING: {
    fragment: "artifact missing from the store",
    kind: "failure",
    hint: "Restore the blob from a trusted copy; the ledger still records its digest.",
  },
  ERR_ARTIFACT_NOT_FOUND: { fragment: "artifact not found", kind: "input", hint: "Check the digest; `runledger verify` lists what the store holds." },
  ERR_CHECK_FAILED: {
    fragment: "acceptance check failed",
    kind: "failure",
    hint: "Read the check's evidence with `runledger show <run>`; fix the operator or its input.",
  },
  ERR_NOT_WAITING: { fragment: "task is not waiting", kind: "input", hint: "Complete only a manual task that `runledger show <run>` lists as WAITING." },
  ERR_EVIDENCE_MISMATCH: {
    fragment: "evidence does not match the declared outputs",
    kind: "input",
    hint: "Pass one --evidence file per declared output, named as the output (touches.csv for outputs/touches.csv).",
  },
  ERR_MANUAL_FAILED: {
    fragment: "manual task recorded FAIL",
    kind: "failure",
    hint: "Read the note with `runledger show <run>`; fix the cause, then run the block again.",
  },
  ERR_RUN_NOT_FOUND: { fragment: "run not found", kind: "input", hint: "List runs with `runledger runs`; a run id may be abbreviated to a unique prefix." },
  ERR_RUN_LOCKED: {
    fragment: "run is held by another engine",
    kind: "failure",
    hint: "Wait for that engine to finish, or stop it; a lock left by a dead process is taken over.",
  },
  ERR_RUN_NOT_FAILED: {
    fragment: "run did not fail",
    kind: "input",
    hint: "Open a DebugPacket on a run whose result is FAIL; `runledger runs` lists runs with their results.",
  },
  ERR_DEBUG_PACKET_NOT_FOUND: {
    fragment: "debug packet not found",
    kind: "input",
    hint: "List packets with `runledger debug list`; a packet id may be abbreviated to a unique prefix.",
  },
  ERR_DEBUG_PACKET_CLOSED: {
    fragment: "debug packet is closed",
    kind: "input",
    hint: "Open a new packet with `runledger debug new <run>`; a closed packet is final.",
  },
  ERR_HYPOTHESES_EXCEEDED: {
    fragment: "too many hypotheses",
    kind: "input",
    hint: "A DebugPacket holds at most 3 hypotheses: narrow them with an experiment on one axis (`runledger debug experiment`), or close the packet and open a new one.",
  },
  ERR_STORAGE: { fragment: "storage failure", kind: "failure", hint: "Check free disk space, permissions and the database server." },
  ERR_INTERNAL: { fragment: "internal error", kind: "failure", hint: "This is a bug in runledger; report it with the command that caused it." },
} as const satisfies Record<`ERR_${string}`, CanonEntry>;

export type ErrorCode = keyof typeof ERROR_CANON;
export const ERROR_CODES = Object.keys(ERROR_CANON) as readonly ErrorCode[];

/** One problem found by validation, addressed by a path into the input. */
export interface Issue {
  readonly code: ErrorCode;
  readonly path: readonly (string | number)[];
  readonly message: string;
}

export interface RunledgerErrorOptions {
  readonly detail?: string;
  readonly issues?: readonly Issue[];
  readonly context?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
}

/**
 * The one error type runledger throws at its boundaries. `message` always starts with the code's
 * stable fragment, so `message.includes(fragment)` holds for every instance.
 */
export class RunledgerError extends Error {
  readonly code: ErrorCode;
  readonly detail: string | undefined;
  readonly issues: readonly Issue[];
  readonly context: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, options: RunledgerErrorOptions = {}) {
    const fragment = ERROR_CANON[code].fragment;
    super(options.detail ? `${fragment}: ${options.detail}` : fragment, { cause: options.cause });
    this.name = "RunledgerError";
    this.code = code;
    this.detail = options.detail;
    this.issues = options.issues ?? [];
    this.context = options.context ?? {};
  }

  get kind(): ErrorKind {
    return ERROR_CANON[this.code].kind;
  }

  get hint(): string {
    return ERROR_CANON[this.code].hint;
  }
}

export function isRunledgerError(value: unknown): value is RunledgerError {
  return value instanceof RunledgerError;
}

/** Wraps an unknown thrown value; a RunledgerError passes through unchanged. */
export function toRunledgerError(value: unknown, fallback: ErrorCode = "ERR_INTERNAL"): RunledgerError {
  if (isRunledgerError(value)) return value;
  const detail = value instanceof Error ? value.message : String(value);
  return new RunledgerError(fallback, { detail, cause: value });
}
