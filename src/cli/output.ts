import type { Writable } from "node:stream";
import { ERROR_CANON, type RunledgerError } from "../core/errors.js";
import { moreProblems } from "../core/validation-error.js";
import { createRedactor, type Redactor } from "../secrets/redact.js";
import { terminalText } from "./terminal-text.js";

/** Issues a human failure lists; the rest are counted, and --json carries every one. */
const LISTED_ISSUES = 50;

export interface CliIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Where an interactive command reads answers; absent or not a terminal means nobody to ask. */
  readonly stdin?: NodeJS.ReadableStream & { readonly isTTY?: boolean };
}

/** Human text: a string of lines joined with "\n", or one line per element (see terminalText). */
export type HumanText = string | readonly string[];

/**
 * Where a command's words go. With `--json`, stdout carries only the final envelope and every log
 * line is structured JSON on stderr; without it, people get plain text on stdout. Every word of
 * human text leaves through `#human`, which escapes what a terminal would act on: names, reasons,
 * notes and actors come from users and the ledger.
 */
export class Output {
  /**
   * Every word leaves through it, JSON included: the workspace's SecretMask once a workspace is
   * open (see CommandContext), so what an older ledger recorded unmasked is masked on the way out.
   */
  redactor: Pick<Redactor, "text" | "value"> = createRedactor([]);

  constructor(
    readonly io: CliIo,
    readonly json: boolean,
    readonly executionId: string,
  ) {}

  /** A structured log line (stderr, JSON mode only), correlated by execution id. */
  log(event: string, fields: Record<string, unknown> = {}): void {
    if (!this.json) return;
    this.#json(this.io.stderr, { level: "info", event, execution_id: this.executionId, ...fields });
  }

  /** A warning: a JSON log line at level warn in JSON mode, `warning: …` on stderr otherwise. */
  warn(event: string, message: string, fields: Record<string, unknown> = {}): void {
    if (this.json) this.#json(this.io.stderr, { level: "warn", event, execution_id: this.executionId, message, ...fields });
    else this.#human(this.io.stderr, [`warning: ${message}`]);
  }

  /** Human text on stdout (progress lines) or stderr (notes beside the result); nothing in JSON mode. */
  say(text: HumanText, stream: "stdout" | "stderr" = "stdout"): void {
    if (!this.json) this.#human(this.io[stream], text);
  }

  /** The final success: an envelope in JSON mode, the given text otherwise. */
  success(payload: Record<string, unknown>, text: HumanText): void {
    if (this.json) this.#json(this.io.stdout, { status: "success", execution_id: this.executionId, ...payload });
    else this.#human(this.io.stdout, typeof text === "string" && text.endsWith("\n") ? text.slice(0, -1) : text);
  }

  /** The final failure: seed 002's error envelope, or what happened, why, how to fix, and the code. */
  failure(error: RunledgerError): void {
    if (this.json) {
      this.#json(this.io.stderr, { level: "error", event: "command.fail", execution_id: this.executionId, code: error.code });
      const details = error.issues.length > 0 ? { issues: error.issues } : {};
      this.#json(this.io.stdout, {
        status: "error",
        execution_id: this.executionId,
        error: { code: error.code, message: error.message, ...details },
        meta: {},
      });
      return;
    }
    const lines = [`error: ${ERROR_CANON[error.code].fragment}`];
    if (error.detail) lines.push(`  why:  ${error.detail}`);
    for (const issue of error.issues.slice(0, LISTED_ISSUES)) lines.push(`    - ${issue.path.map(String).join(".") || "(root)"}: ${issue.message}`);
    const unlisted = error.issues.length - LISTED_ISSUES;
    if (unlisted > 0) lines.push(`    … and ${moreProblems(unlisted)} (run with --json for all of them)`);
    lines.push(`  fix:  ${error.hint}`, `  code: ${error.code}`);
    this.#human(this.io.stderr, lines);
  }

  /** The one way human text reaches a terminal: masked, escaped line by line, ending in a newline. */
  #human(stream: Writable, text: HumanText): void {
    stream.write(`${this.redactor.text(terminalText(text))}\n`);
  }

  /** The one way JSON leaves: every string in it masked, one line. */
  #json(stream: Writable, value: Record<string, unknown>): void {
    stream.write(`${JSON.stringify(this.redactor.value(value))}\n`);
  }
}
