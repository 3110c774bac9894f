import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { link, mkdir, readFile, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { RunledgerError } from "../core/errors.js";
import { isAlive } from "../processes/is-alive.js";

interface LockOwner {
  readonly pid: number;
  readonly host: string;
}

/**
 * Takes `<dir>/<runId>.lock` for this process, or throws ERR_RUN_LOCKED while another live
 * process on this machine holds it; a lock whose process is gone is taken over. Resolves to the release.
 *
 * The lock file appears whole (written aside, then hard-linked into place, which fails if it
 * exists), so a contender never reads a half-written owner. A stale lock is removed only by the
 * contender holding `<runId>.lock.break`, and only if it still holds the dead owner it read: of
 * several engines taking over one dead engine's run at once, exactly one wins.
 */
export async function lockRun(dir: string, runId: string): Promise<() => Promise<void>> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${runId}.lock`);
  const me: LockOwner = { pid: process.pid, host: hostname() };
  const release = () => unlink(path).catch(() => undefined);
  for (let tries = 0; tries < 20; tries++) {
    if (await createExclusive(path, me)) return release;
    const text = await readFile(path, "utf8").catch(() => undefined);
    if (text === undefined) continue;
    const owner = parseOwner(text);
    if (owner && (owner.host !== me.host || isAlive(owner.pid))) {
      throw new RunledgerError("ERR_RUN_LOCKED", { detail: `run ${runId} by pid ${owner.pid} on ${owner.host}`, context: { ...owner } });
    }
    // Another contender is breaking the stale lock: give it a moment, then look again.
    if (!(await breakStaleLock(path, text, me))) await new Promise((resolve) => setTimeout(resolve, 5 + tries * 5));
  }
  throw new RunledgerError("ERR_RUN_LOCKED", { detail: `run ${runId}: another engine took the lock first` });
}

/** Creates `path` holding `owner`, whole, unless it exists (false). */
async function createExclusive(path: string, owner: LockOwner): Promise<boolean> {
  const temp = `${path}.${process.pid}.${randomUUID()}.tmp`;
  try {
    await writeFile(temp, JSON.stringify(owner));
    await link(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new RunledgerError("ERR_STORAGE", { detail: `run lock ${path}`, cause: error });
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/**
 * Removes the stale lock whose text is `stale`, under the breaker file; resolves to false when
 * another contender holds the breaker (a breaker left by a dead process is removed for next time).
 */
async function breakStaleLock(path: string, stale: string, me: LockOwner): Promise<boolean> {
  const breaker = `${path}.break`;
  if (!(await createExclusive(breaker, me))) {
    const holder = parseOwner((await readFile(breaker, "utf8").catch(() => undefined)) ?? "");
    if (holder && holder.host === me.host && !isAlive(holder.pid)) await unlink(breaker).catch(() => undefined);
    return false;
  }
  try {
    // Only the dead owner's lock is removed: if another contender took it over meanwhile, it stays.
    if ((await readFile(path, "utf8").catch(() => undefined)) === stale) await unlink(path).catch(() => undefined);
    return true;
  } finally {
    await unlink(breaker).catch(() => undefined);
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(text) as Partial<LockOwner> | null;
    return typeof owner?.pid === "number" && typeof owner.host === "string" ? { pid: owner.pid, host: owner.host } : undefined;
  } catch {
    return undefined;
  }
}
