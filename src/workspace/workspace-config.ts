import { z } from "zod";
import { RunledgerError, type Issue } from "../core/errors.js";
import { ProjectSchema } from "../contracts/common.js";
import { STATE_DIR } from "../core/state-dir.js";
import { WorkModeSchema } from "../modes/work-mode.js";
import { DurationSchema } from "../pipelines/duration.js";
import { OutputLimitsSchema } from "../pipelines/output-limits.js";

export const CONFIG_FILE = "runledger.json";

const SqliteLedgerConfig = z
  .object({
    backend: z.literal("sqlite"),
    /** Relative to the workspace root. */
    path: z.string().min(1).default(`${STATE_DIR}/ledger.db`),
    durability: z.enum(["full", "normal"]).default("full"),
  })
  .strict();

const PostgresLedgerConfig = z
  .object({
    backend: z.literal("postgres"),
    /** The name of the environment variable holding the connection string: secrets stay out of config files. */
    connectionStringEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/)
      .default("RUNLEDGER_DATABASE_URL"),
    schema: z
      .string()
      .regex(/^[a-z_][a-z0-9_]*$/)
      .default("runledger"),
    durability: z.enum(["full", "normal"]).default("full"),
  })
  .strict();

/** runledger.json: the workspace's config; every field has a sensible default except the name. */
export const WorkspaceConfigSchema = z
  .object({
    $schema: z.string().optional(),
    name: z.string().min(1).max(200),
    project: ProjectSchema.default("default"),
    ledger: z
      .discriminatedUnion("backend", [SqliteLedgerConfig, PostgresLedgerConfig])
      .default({ backend: "sqlite", path: `${STATE_DIR}/ledger.db`, durability: "full" }),
    artifacts: z
      .object({ backend: z.literal("fs"), path: z.string().min(1).default(`${STATE_DIR}/artifacts`) })
      .strict()
      .default({ backend: "fs", path: `${STATE_DIR}/artifacts` }),
    /** Work modes added to seed 000's six, or replacing one of them by name. */
    modes: z.array(WorkModeSchema).optional(),
    /** Sync rules between watermarks (seed 001 §4.3): a broken one warns in `watermark list` and the monitors. */
    watermarks: z
      .object({ sync: z.array(z.object({ between: z.tuple([z.string().min(1), z.string().min(1)]), maxGap: DurationSchema }).strict()).default([]) })
      .strict()
      .optional(),
    /** Extra monitors: ES module files, relative to the workspace, each exporting a default `{ name, observe }`. */
    monitors: z.array(z.string().min(1)).optional(),
    /** Output size limits: bytes or sizes such as "512MiB"; default 1 GiB an output, 4 GiB an attempt. A pipeline's `limits` win. */
    limits: OutputLimitsSchema.optional(),
  })
  .strict();

export type WorkspaceConfig = z.infer<typeof WorkspaceConfigSchema>;

/** Parses a config file's text; every problem is reported at once with its path (ERR_CONFIG). */
export function parseWorkspaceConfig(text: string, file = CONFIG_FILE): WorkspaceConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new RunledgerError("ERR_CONFIG", { detail: `${file} is not JSON (${(cause as Error).message})`, cause });
  }
  const parsed = WorkspaceConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issues: Issue[] = parsed.error.issues.map((i) => ({
    code: "ERR_CONFIG",
    path: i.path.map((k) => (typeof k === "number" ? k : String(k))),
    message: i.message,
  }));
  const first = issues[0] as Issue;
  throw new RunledgerError("ERR_CONFIG", { detail: `${file}: ${first.path.join(".") || "(root)"}: ${first.message}`, issues });
}
