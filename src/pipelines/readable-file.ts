import { accessSync, constants, statSync, type Stats } from "node:fs";
import { RunledgerError } from "../core/errors.js";
import { fileNotFound } from "../core/file-not-found.js";

/**
 * Checks that a file the user named (`subject path`, e.g. `pipeline file /x/p.yaml`, `--evidence
 * /x/a.txt`) is a regular file (a link to one counts) this process may read, before any work
 * starts: a missing or unreadable one is ERR_FILE_NOT_FOUND, a directory or another kind ERR_USAGE,
 * with `hint` after it.
 */
export function assertReadableFile(subject: string, path: string, hint = ""): void {
  let info: Stats;
  try {
    info = statSync(path);
    accessSync(path, constants.R_OK);
  } catch (cause) {
    throw fileNotFound(`${subject} ${path}`, cause);
  }
  if (!info.isFile())
    throw new RunledgerError("ERR_USAGE", { detail: `${subject} ${path} is ${info.isDirectory() ? "a directory" : "not a regular file"}${hint}` });
}
