import { readdirSync, readFileSync } from "node:fs";
import { join, sep } from "node:path";

/** Every regular file under `root`, recursively. */
export function filesUnder(root: string): string[] {
  return readdirSync(root, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/**
 * Every file under `root` whose bytes hold any of `needles` (as UTF-8), the workspace's secret
 * store, which holds values by design, left out.
 */
export function filesHolding(root: string, ...needles: string[]): string[] {
  const secrets = `${sep}${join(".runledger", "secrets")}${sep}`;
  const wanted = needles.map((needle) => Buffer.from(needle, "utf8"));
  return filesUnder(root).filter((file) => {
    if (file.includes(secrets)) return false;
    const bytes = readFileSync(file);
    return wanted.some((needle) => bytes.includes(needle));
  });
}
