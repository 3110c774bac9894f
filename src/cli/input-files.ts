import { resolve } from "node:path";
import { assertReadableFile } from "../pipelines/readable-file.js";

/**
 * The files an option names, resolved against `cwd`, each checked to be a readable regular file
 * before any work starts: a typo is reported as ERR_FILE_NOT_FOUND naming the option and the
 * path, not as a failure halfway through.
 */
export function readableFiles(option: string, files: readonly string[], cwd: string): string[] {
  return files.map((file) => {
    const path = resolve(cwd, file);
    assertReadableFile(option, path);
    return path;
  });
}
