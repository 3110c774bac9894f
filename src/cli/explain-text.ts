import type { Explanation } from "../contracts/explanation.js";

/** An explanation for people: why the task ran or was reused, then its effect calls. */
export function explainText(explanation: Explanation, pipeline: string): string[] {
  const { task, effects } = explanation;
  const trace = effects.length === 0 ? [] : [`effects: ${effects.map((e) => `${e.effect}=${e.outcome}`).join(" ")}`];
  if (explanation.decision === "reused") {
    return [
      `${task} was reused: attempt ${explanation.source_attempt} of run ${explanation.source_run} has the same cache key (operator, code, inputs, config, env, mode)`,
    ];
  }
  if (explanation.previous_attempt === null) return [`${task} ran: no earlier passed attempt of ${pipeline}.${task} to reuse`, ...trace];
  const { previous_attempt: previous, changes } = explanation;
  const lines = changes.map((c) => `  ${c.field}: ${JSON.stringify(c.before)} -> ${JSON.stringify(c.after)}`);
  const why =
    changes.length > 0
      ? [`${task} ran; changed since attempt ${previous}:`, ...lines]
      : [`${task} ran; nothing changed since attempt ${previous}: the cache was off (--no-cache or cache: false), or its outputs had left the store`];
  return [...why, ...trace];
}
