import { z } from "zod";
import { RunledgerError } from "../core/errors.js";
import { parsedField } from "./parsed-field.js";

/** How many bytes an attempt may store: each declared output (and each log), and all of them together. */
export interface OutputLimits {
  /** The most one output, stdout or stderr may hold. */
  readonly outputBytes: number;
  /** The most the declared outputs and the logs of one attempt may hold together. */
  readonly attemptBytes: number;
}

/** Limits as a workspace or a pipeline sets them: a field left out is the next level's. */
export type OutputLimitsSetting = { readonly [K in keyof OutputLimits]?: number | undefined };

const GIB = 1024 ** 3;

/** 1 GiB an output and 4 GiB an attempt: far above what a task's evidence needs, far below a full disk. */
export const DEFAULT_OUTPUT_LIMITS: OutputLimits = Object.freeze({ outputBytes: GIB, attemptBytes: 4 * GIB });

const UNIT_BYTES = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 1024, mib: 1024 ** 2, gib: GIB, tib: 1024 ** 4 } as const;
const SIZE = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i;
const HINT = "expected bytes as a whole number, or <number> <unit> with unit B, KB, MB, GB, KiB, MiB, GiB or TiB (e.g. 512MiB)";

/** Parses a byte size: a positive whole number of bytes, or a number with a unit (`512MiB`, `2 GB`); ERR_SCHEMA otherwise. */
export function parseByteSize(value: string | number): number {
  const match = typeof value === "string" ? SIZE.exec(value.trim()) : null;
  const unit = match ? (match[2] ?? "").toLowerCase() || "b" : "b";
  const bytes =
    typeof value === "number" ? value : match && unit in UNIT_BYTES ? Math.floor(Number(match[1]) * UNIT_BYTES[unit as keyof typeof UNIT_BYTES]) : Number.NaN;
  if (Number.isSafeInteger(bytes) && bytes > 0) return bytes;
  throw new RunledgerError("ERR_SCHEMA", { detail: `invalid size ${JSON.stringify(value) ?? String(value)}: ${HINT}` });
}

/** A zod schema for a byte size field: accepts what `parseByteSize` accepts and outputs bytes. */
export const ByteSizeSchema = parsedField(parseByteSize, "size", HINT);

/** `limits:` as written in runledger.json or a pipeline: either field may be left to the next level. */
export const OutputLimitsSchema = z.object({ outputBytes: ByteSizeSchema.optional(), attemptBytes: ByteSizeSchema.optional() }).strict();

/** The limits an attempt works under: the pipeline's, else the workspace's, else the defaults; field by field. */
export function effectiveOutputLimits(...levels: readonly (OutputLimitsSetting | undefined)[]): OutputLimits {
  const pick = (key: keyof OutputLimits): number => levels.find((level) => level?.[key] !== undefined)?.[key] ?? DEFAULT_OUTPUT_LIMITS[key];
  return { outputBytes: pick("outputBytes"), attemptBytes: pick("attemptBytes") };
}
