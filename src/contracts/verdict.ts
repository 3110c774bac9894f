import { z } from "zod";

/** The verdicts a check, an attempt or a run can reach, best first. */
export const VERDICTS = ["PASS", "WARN", "FAIL"] as const;

/** A check verdict: PASS, WARN or FAIL. */
export const VerdictSchema = z.enum(VERDICTS);
export type Verdict = z.infer<typeof VerdictSchema>;

/** A named check and the verdict it reached. */
export const CheckVerdictSchema = z.object({ name: z.string().min(1), result: VerdictSchema }).strict();
