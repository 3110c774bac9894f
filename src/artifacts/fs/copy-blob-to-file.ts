import { basename, dirname } from "node:path";
import type { Digest } from "../../core/digest.js";
import { artifactCorruptError } from "../artifact-store.js";
import { withBlobFile } from "./blob-file.js";
import { readChunks } from "./byte-chunks.js";
import type { FileSystem } from "./file-system.js";
import type { FsLayout } from "./fs-layout.js";
import { writeHashedTempFile } from "./hashed-temp-file.js";
import { withStorageError } from "./storage-error.js";
import { removeQuietly, tempFileName } from "./temp-files.js";

/** Mode of checked-out copies, before the umask: they belong to the caller, who may edit them. */
const COPY_FILE_MODE = 0o666;

/**
 * Streams a stored blob into `dest` (an absolute path), hashing while copying: the bytes go to a
 * hidden temp file beside `dest` and are renamed onto it only if they hash to `digest`.
 * On a mismatch the temp file is removed and ERR_ARTIFACT_CORRUPT thrown; `dest` is untouched.
 */
export async function copyBlobToFile(fs: FileSystem, layout: FsLayout, digest: Digest, dest: string): Promise<void> {
  await withBlobFile(fs, layout, digest, async (handle, path) => {
    const dir = dirname(dest);
    await withStorageError("create directory", dir, () => fs.mkdir(dir));
    const name = tempFileName(`.${basename(dest)}.`);
    const temp = await writeHashedTempFile(fs, dir, name, readChunks(handle, path), COPY_FILE_MODE);
    try {
      if (temp.digest !== digest) throw artifactCorruptError(digest, temp.digest);
      await withStorageError("rename", dest, () => fs.rename(temp.path, dest));
    } catch (error) {
      await removeQuietly(fs, temp.path);
      throw error;
    }
  });
}
