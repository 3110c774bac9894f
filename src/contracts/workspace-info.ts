import { z } from "zod";
import { DigestSchema, ProjectSchema } from "./common.js";
import { commandOutput } from "./command-output.js";

/** The head of a ledger's hash chain: its last sequence number and that event's hash. */
export const ChainHeadSchema = z
  .object({
    seq: z.number().int().min(0),
    hash: DigestSchema,
  })
  .strict();

/** A workspace as `init` created it: where it is, its name and project, and its ledger's head. */
export const WorkspaceInfoSchema = z
  .object({
    root: z.string().min(1),
    name: z.string().min(1),
    project: ProjectSchema,
    head: ChainHeadSchema,
  })
  .strict();
export type WorkspaceInfo = z.infer<typeof WorkspaceInfoSchema>;

/** `init --json`. */
export const InitOutputSchema = commandOutput({ workspace: WorkspaceInfoSchema });
export type InitOutput = z.infer<typeof InitOutputSchema>;
