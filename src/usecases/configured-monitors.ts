import { access, constants } from "node:fs/promises";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { RunledgerError } from "../core/errors.js";
import { fileNotFound } from "../core/file-not-found.js";
import type { Monitor } from "../governance/monitors.js";

/** The monitors a workspace names (`monitors:` in runledger.json), each a module exporting default { name, observe }. */
export async function configuredMonitors(root: string, files: readonly string[]): Promise<Monitor[]> {
  const out: Monitor[] = [];
  for (const file of files) {
    const path = resolve(root, file);
    try {
      await access(path, constants.R_OK);
    } catch (cause) {
      throw fileNotFound(`monitor ${path} (monitors: in runledger.json)`, cause);
    }
    const loaded = ((await import(pathToFileURL(path).href)) as { default?: Partial<Monitor> }).default;
    if (typeof loaded?.name !== "string" || typeof loaded.observe !== "function")
      throw new RunledgerError("ERR_CONFIG", { detail: `monitors: ${file} must export default { name, observe(view) }` });
    out.push(loaded as Monitor);
  }
  return out;
}
