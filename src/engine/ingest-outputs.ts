import { constants } from "node:fs";
import { lstat, open, rm } from "node:fs/promises";
import { join } from "node:path";
import type { ArtifactStore } from "../artifacts/artifact-store.js";
import { scanOutputs } from "../checks/list-output-files.js";
import { isRunledgerError, toRunledgerError, type ErrorCode } from "../core/errors.js";
import { fileKind } from "../core/file-kind.js";
import { listSome } from "../core/list-some.js";
import type { OutputLimits } from "../pipelines/output-limits.js";

/** A failure of an attempt's work, before its outputs are stored. */
export type IngestFailure = { readonly code: ErrorCode; readonly reason: string; readonly retryable: boolean };

/** A declared output as stored. */
export type IngestedOutput = { path: string; digest: string; size_bytes: number };

/** What ingestion is given: the attempt's directory and logs, what it declares, and its limits. */
export interface IngestRequest {
  readonly dir: string;
  readonly logs: { readonly stdout: string; readonly stderr: string };
  readonly declared: readonly string[];
  readonly limits: OutputLimits;
  /** The attempt already failed: only its logs are cut to the limit, no output is looked at. */
  readonly failed: boolean;
}

const bytes = (n: number): string => `${n.toLocaleString("en-US")} bytes`;
const tooLarge = (reason: string): IngestFailure => ({ code: "ERR_OUTPUT_TOO_LARGE", reason, retryable: false });

/**
 * Takes an attempt's declared outputs into the store, or fails it before a byte of them is stored:
 * `outputs/` is walked without following a link (a link anywhere is ERR_OUTPUT_SYMLINK, an
 * undeclared file ERR_OUTPUT_UNDECLARED, each list capped), every declared output must be a regular
 * file, and sizes are read with lstat against the limits before any is read (ERR_OUTPUT_TOO_LARGE).
 * The store enforces the same limits while it streams, for a file that grows after its stat.
 */
export async function ingestOutputs(store: ArtifactStore, request: IngestRequest): Promise<{ failure?: IngestFailure; outputs: IngestedOutput[] }> {
  const { dir, declared, limits } = request;
  const logBytes = await cutLogs(request.logs, limits.outputBytes);
  if (request.failed) return { outputs: [] };
  const refused = await refuseContents(dir, declared);
  if (refused) return { failure: refused, outputs: [] };
  const sized = await sizeDeclared(dir, declared, limits, logBytes.total);
  if ("failure" in sized) return { failure: sized.failure, outputs: [] };
  if (logBytes.failure) return { failure: logBytes.failure, outputs: [] };
  const outputs: IngestedOutput[] = [];
  let budget = limits.attemptBytes - logBytes.total;
  for (const path of declared) {
    try {
      const stored = await store.putFile(join(dir, path), { maxBytes: Math.min(limits.outputBytes, budget) });
      budget -= stored.size_bytes;
      outputs.push({ path, digest: stored.digest, size_bytes: stored.size_bytes });
    } catch (error) {
      // A file changed after its checks: refused as the checks would have refused it.
      if (isRunledgerError(error) && (error.code === "ERR_OUTPUT_TOO_LARGE" || error.code === "ERR_OUTPUT_SYMLINK"))
        return { failure: { code: error.code, reason: `${path}: ${error.detail ?? error.message}`, retryable: false }, outputs: [] };
      throw error;
    }
  }
  return { outputs };
}

/** A link, an undeclared file or a special file under outputs/ (or outputs/ not being a directory), as a failure; undefined when there is none. */
async function refuseContents(dir: string, declared: readonly string[]): Promise<IngestFailure | undefined> {
  let scan;
  try {
    scan = await scanOutputs(dir, (path) => declared.includes(path));
  } catch (error) {
    const wrapped = toRunledgerError(error);
    if (wrapped.code === "ERR_OUTPUT_SYMLINK" || wrapped.code === "ERR_ADAPTER_INVOCATION")
      return { code: wrapped.code, reason: wrapped.detail ?? wrapped.message, retryable: false };
    throw error;
  }
  if (scan.links.count > 0)
    return {
      code: "ERR_OUTPUT_SYMLINK",
      reason: `wrote ${scan.links.count === 1 ? "a symbolic link" : `${scan.links.count.toLocaleString("en-US")} symbolic links`} under outputs/ (${scan.links.text()}); links are never followed`,
      retryable: false,
    };
  const undeclared = scan.others.count + scan.special.count;
  if (undeclared > 0) {
    return {
      code: "ERR_OUTPUT_UNDECLARED",
      reason: `wrote ${listSome([...scan.others.first, ...scan.special.first], undeclared)}, which it does not declare`,
      retryable: false,
    };
  }
  return undefined;
}

/** The size of each declared output, checked against the limits: a missing one, a special one or one too large is the failure. */
async function sizeDeclared(
  dir: string,
  declared: readonly string[],
  limits: OutputLimits,
  logBytes: number,
): Promise<{ total: number } | { failure: IngestFailure }> {
  let total = logBytes;
  for (const path of declared) {
    const info = await lstat(join(dir, path)).catch(() => undefined);
    if (info === undefined) return { failure: { code: "ERR_ADAPTER_INVOCATION", reason: `declared output ${path} was not written`, retryable: true } };
    // The walk found no link, so a link here appeared since: refused all the same.
    if (info.isSymbolicLink())
      return { failure: { code: "ERR_OUTPUT_SYMLINK", reason: `declared output ${path} is a symbolic link; links are never followed`, retryable: false } };
    if (!info.isFile())
      return { failure: { code: "ERR_ADAPTER_INVOCATION", reason: `declared output ${path} is ${fileKind(info)}, not a regular file`, retryable: false } };
    if (info.size > limits.outputBytes)
      return {
        failure: tooLarge(`declared output ${path} is ${bytes(info.size)}, over the limit of ${bytes(limits.outputBytes)} an output (nothing of it stored)`),
      };
    total += info.size;
    if (total > limits.attemptBytes)
      return {
        failure: tooLarge(
          `declared output ${path} (${bytes(info.size)}) brings the attempt to ${bytes(total)}, over the limit of ${bytes(limits.attemptBytes)} an attempt, logs included (nothing of it stored)`,
        ),
      };
  }
  return { total };
}

/**
 * Cuts stdout and stderr to `limit` bytes where they passed it, ending with a line saying so, and
 * returns the bytes they hold now, with the failure a cut log makes.
 */
async function cutLogs(logs: IngestRequest["logs"], limit: number): Promise<{ total: number; failure?: IngestFailure }> {
  let total = 0;
  let failure: IngestFailure | undefined;
  for (const name of ["stdout", "stderr"] as const) {
    const { size, cutFrom, replaced } = await cutLog(logs[name], limit);
    total += size;
    if (replaced !== undefined)
      failure ??= {
        code: replaced === "a symbolic link" ? "ERR_OUTPUT_SYMLINK" : "ERR_ADAPTER_INVOCATION",
        reason: `${name} was replaced by ${replaced}; removed, not stored`,
        retryable: false,
      };
    if (cutFrom !== undefined) failure ??= tooLarge(`${name} reached ${bytes(cutFrom)}, over the limit of ${bytes(limit)} an output; stored cut at the limit`);
  }
  return { total, ...(failure && { failure }) };
}

async function cutLog(path: string, limit: number): Promise<{ size: number; cutFrom?: number; replaced?: string }> {
  // A function operator writes no stderr, a command that never started neither log.
  const info = await lstat(path).catch(() => undefined);
  if (info === undefined) return { size: 0 };
  if (!info.isFile()) {
    // A log the task replaced (by a link, a fifo) is removed, so nothing reads through it.
    await rm(path, { recursive: true, force: true });
    return { size: 0, replaced: fileKind(info) };
  }
  if (info.size <= limit) return { size: info.size };
  const handle = await open(path, constants.O_RDWR | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const note = Buffer.from(`\n[runledger: cut at ${bytes(limit)}; the log reached ${bytes(info.size)}]\n`);
    const keep = Math.max(0, limit - note.byteLength);
    await handle.truncate(keep);
    await handle.write(note.subarray(0, limit - keep), 0, limit - keep, keep);
    return { size: limit, cutFrom: info.size };
  } finally {
    await handle.close();
  }
}
