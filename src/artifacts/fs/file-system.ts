import * as fsp from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { statSync, type Stats } from "node:fs";

/**
 * The file operations the filesystem artifact store performs, and nothing more: a seam so tests
 * can inject failures (ENOSPC at a write, EIO at a rename) that a real disk will not produce on cue.
 * Every byte is read and written through the FileHandle returned by `open`.
 */
export interface FileSystem {
  /** `flags` as fs.open takes them: a string such as "wx", or O_* constants. */
  open(path: string, flags: string | number, mode?: number): Promise<FileHandle>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** Creates the directory and its parents (with `mode`, default 0o777 less the umask); resolves to the first directory created, if any. */
  mkdir(path: string, mode?: number): Promise<string | undefined>;
  readdir(path: string): Promise<string[]>;
  stat(path: string): Promise<Stats>;
}

/** The real filesystem, through node:fs/promises. */
export const nodeFileSystem: FileSystem = {
  open: (path, flags, mode) => fsp.open(path, flags, mode),
  rename: (from, to) => fsp.rename(from, to),
  unlink: (path) => fsp.unlink(path),
  mkdir: (path, mode) => fsp.mkdir(path, { recursive: true, ...(mode !== undefined && { mode }) }),
  readdir: (path) => fsp.readdir(path),
  // A stat of a local file takes microseconds; a hop through libuv's thread pool costs more than
  // the call. The engine stats every reused output.
  stat: async (path) => statSync(path),
};
