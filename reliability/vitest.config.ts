import { defineConfig } from "vitest/config";

/**
 * The reliability suite (docs/reliability.md). Bounded by default, so it fits in `npm test`;
 * RELIABILITY_FULL=1 (what `npm run test:reliability` sets) runs the full figures.
 */
export default defineConfig({
  test: {
    include: ["reliability/**/*.test.ts"],
    testTimeout: 1_800_000,
    hookTimeout: 600_000,
    pool: "forks",
    // Each file drives real engines and subprocesses; on 2 cores running them one at a time is faster and fairer.
    fileParallelism: false,
    reporters: ["default", "./test/support/summary-reporter.ts"],
  },
});
