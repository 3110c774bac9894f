import { summarizeVerdict } from "../checks/summarize-verdict.js";
import type { ErrorCode } from "../core/errors.js";
import { listSome } from "../core/list-some.js";
import type { Verdict } from "../contracts/verdict.js";

/** A failure of an attempt's work, before its outputs are stored. */
export type AttemptFailure = { readonly code: ErrorCode; readonly reason: string; readonly retryable: boolean };

/** A verdict an attempt cannot be better than, with the failure to record when it is FAIL. */
export type VerdictCap = { readonly result: Verdict; readonly failure: AttemptFailure };

/** How an attempt ends: its verdict, the failure recorded (if any), why, and whether it may be retried. */
export interface AttemptVerdict {
  readonly verdict: Verdict;
  readonly failure: AttemptFailure | undefined;
  readonly reason: string | null;
  readonly retryable: boolean;
}

const RANK = { PASS: 0, WARN: 1, FAIL: 2 } as const;

/**
 * The attempt's verdict: FAIL on a failure of its work; else the worse of its checks' verdict and
 * the cap. A check failure is retried only where the attempt says so (`retryChecks`).
 */
export function decideVerdict(
  failed: AttemptFailure | undefined,
  checks: readonly { readonly name: string; readonly result: Verdict }[],
  settling: { readonly cap?: VerdictCap; readonly retryChecks?: boolean },
): AttemptVerdict {
  let failure = failed;
  const checked = summarizeVerdict(checks);
  const capped = settling.cap !== undefined && RANK[settling.cap.result] > RANK[checked] ? settling.cap : undefined;
  if (!failure && capped?.result === "FAIL" && checked !== "FAIL") failure = capped.failure;
  const verdict = failure ? "FAIL" : (capped?.result ?? checked);
  const checkFailed = !failure && verdict === "FAIL";
  const reason = failure?.reason ?? (checkFailed ? `check failed: ${listSome(checks.filter((c) => c.result === "FAIL").map((c) => c.name))}` : null);
  const retryable = failure?.retryable ?? (checkFailed && settling.retryChecks === true);
  return { verdict, failure, reason, retryable };
}
