import { resolve } from "node:path";
import { RunledgerError } from "../core/errors.js";
import type { CheckContext } from "./check-context.js";
import { startCheckDeadline } from "./check-deadline.js";
import type { CheckDeadline } from "./check-deadline.js";
import type { CheckFinding, CheckResult } from "./check-result.js";
import type { CheckKind, CheckSpec } from "./check-spec.js";
import { compileJsonSchema } from "./compile-json-schema.js";
import { compileRowExpression } from "./compile-row-expression.js";
import { evaluateCommand } from "./evaluate-command.js";
import { evaluateCustom } from "./evaluate-custom.js";
import { evaluateJsonSchema } from "./evaluate-json-schema.js";
import { evaluateRowCount } from "./evaluate-row-count.js";
import { evaluateRows } from "./evaluate-rows.js";
import { parseCheckSpec } from "./parse-check-spec.js";
import { resolveCheckPath } from "./resolve-check-path.js";

/** Default time limit of a command check, in ms. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 60_000;

/** A validated, compiled check, ready to run against a directory. */
interface PreparedCheck {
  readonly kind: CheckKind;
  readonly name: string;
  run(dir: string, ctx: CheckContext, deadline: CheckDeadline): Promise<CheckFinding>;
}

/**
 * Evaluates one acceptance check against the outputs under `ctx.dir`. Throws ERR_CHECK_INVALID for an
 * unknown kind, a bad shape, a schema that does not compile or an expression that does not parse;
 * everything about the outputs themselves (missing file `{ reason: "missing" }`, a path escaping the
 * directory, unreadable data, a timeout `{ reason: "timed out" }`, an abort) is a FAIL result with
 * evidence, never a thrown error.
 */
export async function evaluateCheck(spec: CheckSpec, ctx: CheckContext): Promise<CheckResult> {
  return runPrepared(prepareCheck(spec), ctx);
}

/**
 * Evaluates checks one after another, in order, and returns every result. All specs are validated
 * and compiled before the first one runs, so an invalid spec throws before any command starts.
 */
export async function evaluateChecks(specs: readonly CheckSpec[], ctx: CheckContext): Promise<CheckResult[]> {
  const prepared = specs.map(prepareCheck);
  const results: CheckResult[] = [];
  for (const check of prepared) results.push(await runPrepared(check, ctx));
  return results;
}

async function runPrepared(check: PreparedCheck, ctx: CheckContext): Promise<CheckResult> {
  const timeoutMs = ctx.timeoutMs ?? (check.kind === "command" ? DEFAULT_COMMAND_TIMEOUT_MS : undefined);
  if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw new RunledgerError("ERR_CHECK_INVALID", { detail: `timeoutMs must be a positive number of ms, got ${String(timeoutMs)}` });
  }
  const deadline = startCheckDeadline(ctx.signal, timeoutMs);
  let finding: CheckFinding;
  try {
    finding = deadline.signal.aborted ? { result: "FAIL", evidence: deadline.abortEvidence() } : await check.run(resolve(ctx.dir), ctx, deadline);
  } catch (error) {
    finding = deadline.signal.aborted
      ? { result: "FAIL", evidence: deadline.abortEvidence() }
      : { result: "FAIL", evidence: { reason: "error", message: error instanceof Error ? error.message : String(error) } };
  } finally {
    deadline.dispose();
  }
  return { name: check.name, kind: check.kind, result: finding.result, evidence: finding.evidence };
}

function prepareCheck(spec: CheckSpec): PreparedCheck {
  const check = parseCheckSpec(spec);
  const { kind, name } = check;
  switch (check.kind) {
    case "nonEmpty":
      return onFile(kind, name, check.path, async (_file, bytes) =>
        bytes > 0 ? { result: "PASS", evidence: { bytes } } : { result: "FAIL", evidence: { bytes, reason: "empty" } },
      );
    case "jsonSchema": {
      const validate = compileJsonSchema(check.schema);
      return onFile(kind, name, check.path, (file, _bytes, signal) => evaluateJsonSchema(file, check.path, validate, signal));
    }
    case "rowCount":
      return onFile(kind, name, check.path, (file, _bytes, signal) => evaluateRowCount(file, check.path, check.min, check.max, signal));
    case "rows": {
      const predicate = compileRowExpression(check.expr);
      return onFile(kind, name, check.path, (file, _bytes, signal) => evaluateRows(file, check.format, predicate, signal));
    }
    case "command":
      return { kind, name, run: (dir, ctx, deadline) => evaluateCommand(check.argv, check.warnExit, dir, ctx.env, deadline, ctx.sandbox) };
    case "custom":
      return { kind, name, run: (dir, _ctx, deadline) => evaluateCustom(check.fn, dir, deadline) };
  }
}

/** A file check: the path is resolved inside the directory first; a missing or escaping path is FAIL. */
function onFile(
  kind: CheckKind,
  name: string,
  path: string,
  evaluate: (file: string, bytes: number, signal: AbortSignal) => Promise<CheckFinding>,
): PreparedCheck {
  return {
    kind,
    name,
    run: async (dir, _ctx, deadline) => {
      const found = await resolveCheckPath(dir, path);
      return found.ok ? evaluate(found.file, found.bytes, deadline.signal) : { result: "FAIL", evidence: found.evidence };
    },
  };
}
