import type { Verdict } from "../contracts/verdict.js";
import type { WorkMode } from "./work-mode.js";

/** What the run's end knows of one task that passed. */
export interface PassedTaskFacts {
  readonly task: string;
  readonly result: Exclude<Verdict, "FAIL">;
  /** Evidence items the task's operator declares. */
  readonly declares: readonly string[];
  readonly outputs: readonly { readonly size_bytes: number }[];
}

/** One evidence item of the run's mode, and whether the run met it. */
export interface EvidenceResult {
  readonly item: string;
  readonly description: string;
  readonly required: boolean;
  readonly met: boolean;
  /** The passed tasks whose operators declare the item, or "engine" for what the engine observed. */
  readonly by: readonly string[];
}

/**
 * The run's evidence against its mode's pattern. An item is met when a passed task's operator
 * declares it. For PIPELINE the engine also observes three items itself: `artifact` (a passed task
 * stored a non-empty output), `content-check` (a task with outputs passed all its checks with PASS;
 * every operator has at least one check) and `manifest` (the run manifest the engine writes lists
 * at least one output).
 */
export function assessEvidence(mode: WorkMode, passed: readonly PassedTaskFacts[]): EvidenceResult[] {
  const observed = new Set<string>();
  if (mode.name === "PIPELINE") {
    if (passed.some((t) => t.outputs.some((o) => o.size_bytes > 0))) observed.add("artifact");
    if (passed.some((t) => t.result === "PASS" && t.outputs.length > 0)) observed.add("content-check");
    if (passed.some((t) => t.outputs.length > 0)) observed.add("manifest");
  }
  return mode.evidence.map((item) => {
    const by = passed.filter((t) => t.declares.includes(item.id)).map((t) => t.task);
    if (observed.has(item.id)) by.push("engine");
    return { item: item.id, description: item.description, required: item.required, met: by.length > 0, by };
  });
}

/** Whether a run counts (seed 000): every required evidence item met, and a next pointer left. */
export function isCounted(evidence: readonly Pick<EvidenceResult, "required" | "met">[] | null, next: string | null): boolean {
  return evidence !== null && evidence.every((e) => !e.required || e.met) && next !== null && next.trim() !== "";
}
