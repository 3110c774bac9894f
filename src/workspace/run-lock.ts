import { hostname } from "node:os";
import { mkdir, readFile, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { RunledgerError } from "../core/errors.js";

interface LockOwner {
  readonly pid: number;
  readonly host: string;
}

/**
 * Takes `<dir>/<runId>.lock` for this process (O_EXCL), or throws ERR_RUN_LOCKED while another live
 * process on this machine holds it; a lock whose process is gone is taken over. Resolves to the release.
 */
export async function lockRun(dir: string, runId: string): Promise<() => Promise<void>> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${runId}.lock`);
  const me: LockOwner = { pid: process.pid, host: hostname() };
  for (let tries = 0; tries < 3; tries++) {
    try {
      await writeFile(path, JSON.stringify(me), { flag: "wx" });
      return () => unlink(path).catch(() => undefined);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw new RunledgerError("ERR_STORAGE", { detail: `run lock ${path}`, cause: error });
    }
    const owner = await readOwner(path);
    if (owner && (owner.host !== me.host || alive(owner.pid))) {
      throw new RunledgerError("ERR_RUN_LOCKED", { detail: `run ${runId} by pid ${owner.pid} on ${owner.host}`, context: { ...owner } });
    }
    await unlink(path).catch(() => undefined);
  }
  throw new RunledgerError("ERR_RUN_LOCKED", { detail: `run ${runId}: another engine took the lock first` });
}

async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as LockOwner;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
