import type { CheckResult, CheckVerdict } from "./check-result.js";

const RANK: Readonly<Record<CheckVerdict, number>> = { PASS: 0, WARN: 1, FAIL: 2 };

/** The worst verdict among the results (FAIL > WARN > PASS); no results is PASS. */
export function summarizeVerdict(results: readonly Pick<CheckResult, "result">[]): CheckVerdict {
  let worst: CheckVerdict = "PASS";
  for (const { result } of results) if (RANK[result] > RANK[worst]) worst = result;
  return worst;
}
