import { RunledgerError } from "./errors.js";

/**
 * ERR_FILE_NOT_FOUND for a file the user named that could not be read: `subject` says which
 * (`pipeline file /x/p.yaml`, `--evidence /x/a.txt`), the system error why, in words.
 */
export function fileNotFound(subject: string, cause: unknown): RunledgerError {
  const code = (cause as { code?: unknown } | null)?.code;
  const why =
    code === "ENOENT" || code === "ENOTDIR"
      ? "no such file"
      : code === "EACCES" || code === "EPERM"
        ? "not readable"
        : typeof code === "string"
          ? code
          : "unreadable";
  return new RunledgerError("ERR_FILE_NOT_FOUND", { detail: `${subject}: ${why}`, cause });
}
