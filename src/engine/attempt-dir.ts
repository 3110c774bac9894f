import { chmodSync, constants, mkdirSync, rmSync } from "node:fs";
import { copyFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { AttemptPlan, EngineDeps } from "./attempt-context.js";
import { assertFileDigest } from "./assert-file-digest.js";

/** An attempt's log files and pid file, beside its directory. */
export interface AttemptLogs {
  readonly stdout: string;
  readonly stderr: string;
  readonly pid: string;
}

/** Where an attempt works: `<workRoot>/<run>/<task>.<n>/`, with its logs and pid file beside it. */
export function attemptDir(workRoot: string, runId: string, task: string, attemptNumber: number): string {
  return join(workRoot, runId, `${task}.${attemptNumber}`);
}

/** The log and pid files of the attempt working in `dir`. */
export function attemptLogs(dir: string): AttemptLogs {
  return { stdout: `${dir}.stdout`, stderr: `${dir}.stderr`, pid: `${dir}.pid` };
}

/** Where an input of the attempt working in `dir` is placed: inputs/<task>/<path under outputs/>. */
export function inputPath(dir: string, input: { readonly task: string; readonly path: string }): string {
  return join(dir, "inputs", input.task, input.path.replace(/^outputs\//, ""));
}

/** Makes the attempt's directory afresh: the passed inputs placed read-only, and an empty `outputs/`. */
export async function prepareAttemptDir(deps: EngineDeps, dir: string, plan: AttemptPlan): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "outputs"), { recursive: true });
  await placeInputs(deps, dir, plan);
}

/**
 * Places each passed upstream output at inputs/<task>/<path under outputs/>, read-only, after
 * checking its bytes against the digest (ERR_ARTIFACT_CORRUPT otherwise, before the task starts). A copy
 * (a reflink where the filesystem has them), never a hard link: a task running as root ignores
 * file modes, and must not be able to change the store's blob through its input.
 */
async function placeInputs(deps: EngineDeps, dir: string, plan: AttemptPlan): Promise<void> {
  // All inputs at once: each is a copy and a read, mostly waiting on the disk.
  await Promise.all(
    plan.inputs.map(async (input) => {
      const dest = inputPath(dir, input);
      mkdirSync(dirname(dest), { recursive: true });
      const local = await deps.artifacts.localPath(input.digest);
      if (local) {
        await copyFile(local, dest, constants.COPYFILE_FICLONE);
        // The store's local path is not re-verified: the copy the task reads is.
        await assertFileDigest(dest, input.digest);
      } else await deps.artifacts.getToFile(input.digest, dest);
      chmodSync(dest, 0o444);
    }),
  );
}
