import { constants } from "node:fs";
import { lstat, open, readdir, rm } from "node:fs/promises";
import { connect } from "node:net";
import { join } from "node:path";
import { EFFECTS_DIR_PREFIX, EFFECTS_MARKER_NAME, EFFECTS_MARKER_TEXT, EFFECTS_SOCKET_NAME, effectsSocketBase } from "./effects-dir.js";

/**
 * A directory still without a socket this long after it was made was left by an engine killed
 * between making it and listening, which takes it a few milliseconds.
 */
const UNLISTENED_AFTER_MS = 10 * 60_000;

/**
 * Removes the effects-socket directories under `base` that engines of this user killed mid-run
 * left behind. Only runledger's own are considered (see isOwnEffectsDir): a real directory, not a
 * link, owned by this process's user and holding runledger's marker; anything else with a
 * look-alike name (another user's, a link, one without the marker) is never touched. Of those,
 * it removes the ones whose socket refused a connection twice, a moment apart (an engine binds its
 * socket and listens on it within one call, never longer), so no engine listens on it; and those
 * still without a socket ten minutes after they were made. A newer one without a socket may belong
 * to an engine about to listen, and is left. Best effort; resolves to how many went.
 */
export async function sweepStaleEffectsDirs(base: string = effectsSocketBase()): Promise<number> {
  const names = await readdir(base).catch(() => [] as string[]);
  const own: string[] = [];
  for (const name of names) {
    if (name.startsWith(EFFECTS_DIR_PREFIX) && (await isOwnEffectsDir(join(base, name)))) own.push(join(base, name));
  }
  const suspects = await staleDirs(own);
  if (suspects.length === 0) return 0;
  // Unreferenced: a sweep never keeps the engine alive, and one cut short is finished by the next.
  await new Promise((resolve) => setTimeout(resolve, 100).unref());
  const stale = await staleDirs(suspects);
  // Checked again just before removal. Under a sticky temp dir no other user can rename ours away
  // and put theirs in its place, and rm removes links inside without following them.
  const gone = await Promise.all(
    stale.map(
      async (dir) =>
        (await isOwnEffectsDir(dir)) &&
        (await rm(dir, { recursive: true, force: true }).then(
          () => true,
          () => false,
        )),
    ),
  );
  return gone.filter(Boolean).length;
}

/**
 * Whether `dir` is an effects-socket directory this user's runledger made: lstat (never followed)
 * says a directory owned by this uid, holding a regular marker file, owned by this uid too, whose
 * content is the marker text (opened with O_NOFOLLOW). Without a uid (not POSIX), nothing is.
 */
export async function isOwnEffectsDir(dir: string): Promise<boolean> {
  const uid = process.getuid?.();
  if (uid === undefined) return false;
  const info = await lstat(dir).catch(() => undefined);
  if (!info?.isDirectory() || info.uid !== uid) return false;
  const markerPath = join(dir, EFFECTS_MARKER_NAME);
  const marker = await lstat(markerPath).catch(() => undefined);
  if (!marker?.isFile() || marker.uid !== uid || marker.size !== Buffer.byteLength(EFFECTS_MARKER_TEXT)) return false;
  const handle = await open(markerPath, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(() => undefined);
  if (!handle) return false;
  try {
    const buffer = Buffer.alloc(marker.size);
    const { bytesRead } = await handle.read(buffer, 0, marker.size, 0);
    return bytesRead === marker.size && buffer.toString("utf8") === EFFECTS_MARKER_TEXT;
  } catch {
    return false;
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * The directories whose socket refuses a connection, or that were never listened on (see
 * UNLISTENED_AFTER_MS); probed one at a time, to hold one descriptor.
 */
async function staleDirs(dirs: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const dir of dirs) {
    const path = join(dir, EFFECTS_SOCKET_NAME);
    if (
      !(await lstat(path).then(
        (info) => info.isSocket(),
        () => false,
      ))
    ) {
      const made = await lstat(dir).then(
        (info) => info.mtimeMs,
        () => Date.now(),
      );
      if (Date.now() - made > UNLISTENED_AFTER_MS) found.push(dir);
      continue;
    }
    const refused = await new Promise<boolean>((resolve) => {
      const probe = connect(path);
      probe.once("connect", () => {
        probe.destroy();
        resolve(false);
      });
      probe.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNREFUSED"));
    });
    if (refused) found.push(dir);
  }
  return found;
}
