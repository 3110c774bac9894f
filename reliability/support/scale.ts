/** Whether the full figures were asked for (RELIABILITY_FULL=1); otherwise the bounded CI scale. */
export const FULL = process.env["RELIABILITY_FULL"] === "1";

/** The seed of every random choice in the suite; RELIABILITY_SEED=<n> replays a reported failure. */
export const SEED = Number(process.env["RELIABILITY_SEED"] ?? 20261129) >>> 0;

/** The figures each test reaches, bounded or full. */
export const SCALE = FULL
  ? { crashTasks: 300, killPoints: 50, fuzzCases: 10_000, tamperTrials: 1_000, lockRaces: 40, doubleResumes: 10, enospcTrials: 20 }
  : { crashTasks: 300, killPoints: 8, fuzzCases: 2_000, tamperTrials: 300, lockRaces: 10, doubleResumes: 3, enospcTrials: 6 };
