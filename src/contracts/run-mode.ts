import { z } from "zod";

/** How work executes: `mock` uses mock providers and needs no secrets; `real` does the real work. */
export const RUN_MODES = ["mock", "real"] as const;

/** Whether declared external effects happen: `shadow` routes them to a log sink; `enforced` performs them. */
export const ENFORCEMENTS = ["shadow", "enforced"] as const;

/** The run mode of a run, a receipt or a pipeline: `mock` or `real`. */
export const RunModeSchema = z.enum(RUN_MODES);
export type RunMode = z.infer<typeof RunModeSchema>;

/** The enforcement of a run or a receipt: `shadow` or `enforced`. */
export const EnforcementSchema = z.enum(ENFORCEMENTS);
export type Enforcement = z.infer<typeof EnforcementSchema>;
