import { FULL, SEED } from "./scale.js";

/** Prints a test's figures as one JSON line, with the scale and seed that produced them. */
export function reportFigures(test: string, figures: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ reliability: test, scale: FULL ? "full" : "bounded", seed: SEED, ...figures })}\n`);
}
