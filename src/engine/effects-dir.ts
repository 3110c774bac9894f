import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The name of every effects-socket directory begins so (`runledger-fx-XXXXXX`). */
export const EFFECTS_DIR_PREFIX = "runledger-fx-";

/** The socket's name inside its directory. */
export const EFFECTS_SOCKET_NAME = "effects.sock";

/**
 * The file runledger writes into each effects-socket directory it makes, with MARKER_TEXT in it:
 * a sweep removes only directories holding it, so a look-alike name is never enough.
 */
export const EFFECTS_MARKER_NAME = "runledger-fx";
export const EFFECTS_MARKER_TEXT = "runledger effects socket directory v1\n";

/** A unix socket's path must fit in sun_path (108 bytes on Linux, 104 on macOS). */
const SOCKET_PATH_MAX = 100;

/** The system temp dir, or /tmp when a long TMPDIR would make the socket's path too long to listen on. */
export function effectsSocketBase(): string {
  const base = tmpdir();
  return Buffer.byteLength(join(base, `${EFFECTS_DIR_PREFIX}XXXXXX`, EFFECTS_SOCKET_NAME)) <= SOCKET_PATH_MAX ? base : "/tmp";
}

/** Makes a fresh private (0700) effects-socket directory under `base`, marked as runledger's. */
export async function makeEffectsDir(base: string): Promise<string> {
  const dir = await mkdtemp(join(base, EFFECTS_DIR_PREFIX));
  try {
    // "wx": the directory is new and ours alone, so the marker cannot already exist; 0600 like the rest.
    await writeFile(join(dir, EFFECTS_MARKER_NAME), EFFECTS_MARKER_TEXT, { flag: "wx", mode: 0o600 });
  } catch (error) {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
  return dir;
}
