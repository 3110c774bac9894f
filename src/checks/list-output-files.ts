import { readdir } from "node:fs/promises";
import { join, relative, sep } from "node:path";

/**
 * Every regular file under `<dir>/outputs`, keyed by its path relative to `dir` with `/` separators
 * (`outputs/a/b.csv`), mapped to its absolute path. Symlinks are skipped, so nothing listed lies
 * outside `dir`. A missing `outputs/` folder gives an empty map.
 */
export async function listOutputFiles(dir: string): Promise<Record<string, string>> {
  const root = join(dir, "outputs");
  let entries;
  try {
    entries = await readdir(root, { recursive: true, withFileTypes: true });
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === "ENOENT" || code === "ENOTDIR") return {};
    throw error;
  }
  const files: Record<string, string> = {};
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    files[relative(dir, file).split(sep).join("/")] = file;
  }
  return files;
}
