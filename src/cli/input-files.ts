import { accessSync, constants, statSync } from "node:fs";
import { resolve } from "node:path";
import { RunledgerError } from "../core/errors.js";
import { fileNotFound } from "../core/file-not-found.js";

/**
 * The files an option names, resolved against `cwd`, each checked to be a readable regular file
 * before any work starts: a typo is reported as ERR_FILE_NOT_FOUND naming the option and the
 * path, not as a failure halfway through.
 */
export function readableFiles(option: string, files: readonly string[], cwd: string): string[] {
  return files.map((file) => {
    const path = resolve(cwd, file);
    let isFile: boolean;
    try {
      isFile = statSync(path).isFile();
      accessSync(path, constants.R_OK);
    } catch (cause) {
      throw fileNotFound(`${option} ${path}`, cause);
    }
    if (!isFile) throw new RunledgerError("ERR_USAGE", { detail: `${option} ${path} is not a regular file` });
    return path;
  });
}
