import { z } from "zod";
import { DigestSchema } from "./common.js";

/** One config version a receipt ran under, so no config drift is invisible (seed 004 ConfigVersionRef). */
export const ConfigVersionRefSchema = z
  .object({
    config_name: z.string().min(1),
    config_version: z.string().min(1),
    digest: DigestSchema.optional(),
    ref: z.string().min(1).optional(),
  })
  .strict();
export type ConfigVersionRef = z.infer<typeof ConfigVersionRefSchema>;
