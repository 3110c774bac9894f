import { z } from "zod";
import { commandOutput } from "./command-output.js";

/** An artifact written to a file by `artifacts get -o FILE`: its digest (as asked for) and the absolute path. */
export const ArtifactCopySchema = z
  .object({
    digest: z.string().min(1),
    path: z.string().min(1),
  })
  .strict();
export type ArtifactCopy = z.infer<typeof ArtifactCopySchema>;

/** `artifacts get -o FILE --json` (without -o, --json is ERR_USAGE: stdout holds the bytes). */
export const ArtifactGetOutputSchema = commandOutput({ artifact: ArtifactCopySchema });
export type ArtifactGetOutput = z.infer<typeof ArtifactGetOutputSchema>;
