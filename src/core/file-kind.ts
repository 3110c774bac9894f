import type { Stats } from "node:fs";

/** What kind of file `stats` describes, in words. */
export function fileKind(stats: Pick<Stats, "isDirectory" | "isFIFO" | "isSocket" | "isBlockDevice" | "isCharacterDevice" | "isSymbolicLink">): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isSymbolicLink()) return "a symbolic link";
  if (stats.isFIFO()) return "a fifo";
  if (stats.isSocket()) return "a socket";
  if (stats.isBlockDevice() || stats.isCharacterDevice()) return "a device";
  return "a special file";
}
