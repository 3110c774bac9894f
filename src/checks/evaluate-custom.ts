import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { VERDICTS as VERDICT_LIST } from "../contracts/verdict.js";
import { canonicalJson } from "../core/canonical-json.js";
import type { CheckFinding, CheckVerdict } from "./check-result.js";
import type { CheckDeadline } from "./check-deadline.js";
import type { CustomCheckContext, CustomCheckFn } from "./check-spec.js";
import { listOutputFiles } from "./list-output-files.js";
import { CHECK_READ_FLAGS, resolveCheckPath } from "./resolve-check-path.js";

// Widened so that any answer can be looked up.
const VERDICTS: readonly unknown[] = VERDICT_LIST;

/**
 * Calls a custom check with a context whose reads are confined to `dir`, and normalizes its answer:
 * a bare verdict, `{ result, evidence? }` or `{ verdict, message?, evidence? }`, with JSON-safe
 * evidence. A thrown error, a rejection, an answer of another shape or evidence that is not JSON is
 * FAIL with the reason in the evidence. When the deadline aborts first, the result is FAIL with the
 * deadline's evidence (the function itself cannot be stopped; it should watch `ctx.signal`).
 * Rejects only when `outputs/` cannot be listed.
 */
export async function evaluateCustom(fn: CustomCheckFn, dir: string, deadline: CheckDeadline): Promise<CheckFinding> {
  const readText = async (relpath: string): Promise<string> => {
    const found = await resolveCheckPath(dir, relpath);
    if (!found.ok) throw new Error(`cannot read ${relpath}: ${String(found.evidence.reason)}`);
    return readFile(found.file, { encoding: "utf8", signal: deadline.signal, flag: CHECK_READ_FLAGS });
  };
  const ctx: CustomCheckContext = {
    dir,
    signal: deadline.signal,
    outputsDir: join(dir, "outputs"),
    outputs: await listOutputFiles(dir),
    readText,
    readJson: async (relpath) => JSON.parse(await readText(relpath)) as unknown,
  };
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<"aborted">((resolve) => {
    onAbort = () => resolve("aborted");
    if (deadline.signal.aborted) onAbort();
    else deadline.signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    const answer = await Promise.race([Promise.resolve().then(() => fn(ctx)), aborted]);
    if (answer === "aborted" && deadline.signal.aborted) return { result: "FAIL", evidence: deadline.abortEvidence() };
    return normalize(answer);
  } catch (error) {
    if (deadline.signal.aborted) return { result: "FAIL", evidence: deadline.abortEvidence() };
    return { result: "FAIL", evidence: { reason: "custom check threw", message: error instanceof Error ? error.message : String(error) } };
  } finally {
    if (onAbort) deadline.signal.removeEventListener("abort", onAbort);
  }
}

function normalize(answer: unknown): CheckFinding {
  if (VERDICTS.includes(answer)) return { result: answer as CheckVerdict, evidence: {} };
  const outcome = (typeof answer === "object" && answer !== null ? answer : {}) as {
    result?: unknown;
    verdict?: unknown;
    message?: unknown;
    evidence?: unknown;
  };
  const result = VERDICTS.includes(outcome.result) ? outcome.result : outcome.verdict;
  if (!VERDICTS.includes(result)) {
    return {
      result: "FAIL",
      evidence: { reason: "invalid outcome", message: 'return "PASS", "WARN", "FAIL", { result, evidence? } or { verdict, message?, evidence? }' },
    };
  }
  const { evidence = {}, message } = outcome;
  if (typeof evidence !== "object" || evidence === null || Array.isArray(evidence)) {
    return { result: "FAIL", evidence: { reason: "invalid evidence", message: "evidence must be an object" } };
  }
  try {
    // Evidence is recorded in the ledger, so only what survives canonical JSON is accepted.
    const json = JSON.parse(canonicalJson(message === undefined ? evidence : { ...evidence, message })) as Record<string, unknown>;
    return { result: result as CheckVerdict, evidence: json };
  } catch (error) {
    return { result: "FAIL", evidence: { reason: "invalid evidence", message: (error as Error).message } };
  }
}
