import { existsSync, statSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import type { ConfigVersionRef } from "../contracts/config-version-ref.js";
import { digestHex, sha256 } from "../core/digest.js";
import { RunledgerError, type Issue } from "../core/errors.js";

/** A config's name: it is also its file name under the attempt's `config/` directory. */
export const CONFIG_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** How many hex digits of the content digest make a config's version. */
const VERSION_LENGTH = 12;

/** One config an attempt reads: its version ref for the receipt and cache key, and the exact bytes that ref names. */
export interface ConfigFile {
  readonly ref: ConfigVersionRef;
  readonly bytes: Buffer;
}

/** Where a declared config path points: as written when absolute, else under `baseDir` (the pipeline file's directory). */
export function configPath(path: string, baseDir: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

/**
 * Reads the declared configs, sorted by name, each as a ConfigVersionRef (seed 004):
 * `config_name`, `config_version` (the first 12 hex digits of the content digest), the full
 * `digest`, and `ref` (the path as declared). A file that cannot be read fails with ERR_VALIDATION.
 */
export async function readConfigs(configs: Readonly<Record<string, string>> | undefined, baseDir: string): Promise<ConfigFile[]> {
  const files: ConfigFile[] = [];
  for (const name of Object.keys(configs ?? {}).sort()) {
    const declared = (configs as Record<string, string>)[name] as string;
    let bytes: Buffer;
    try {
      bytes = await readFile(configPath(declared, baseDir));
    } catch (error) {
      throw new RunledgerError("ERR_VALIDATION", { detail: `config ${name}: cannot read ${declared}: ${(error as Error).message}` });
    }
    const digest = sha256(bytes);
    files.push({ ref: { config_name: name, config_version: digestHex(digest).slice(0, VERSION_LENGTH), digest, ref: declared }, bytes });
  }
  return files;
}

/** The pre-run check: each declared config of each task is a readable file (ERR_VALIDATION issues at `tasks.<task>.configs.<name>`). */
export function configIssues(
  tasks: readonly { readonly task: string; readonly configs: Readonly<Record<string, string>> | undefined }[],
  baseDir: string,
): Issue[] {
  const issues: Issue[] = [];
  for (const { task, configs } of tasks) {
    for (const [name, declared] of Object.entries(configs ?? {})) {
      const path = configPath(declared, baseDir);
      if (!existsSync(path) || !statSync(path).isFile())
        issues.push({ code: "ERR_SCHEMA", path: ["tasks", task, "configs", name], message: `config ${name}: no file at ${declared} (looked at ${path})` });
    }
  }
  return issues;
}

/** Writes each config's bytes to `<dir>/config/<name>`, read-only, and returns name → absolute path. */
export async function placeConfigs(dir: string, configs: readonly ConfigFile[]): Promise<Record<string, string>> {
  const placed: Record<string, string> = {};
  if (configs.length === 0) return placed;
  await mkdir(join(dir, "config"), { recursive: true });
  for (const config of configs) {
    const dest = join(dir, "config", config.ref.config_name);
    await writeFile(dest, config.bytes);
    await chmod(dest, 0o444);
    placed[config.ref.config_name] = dest;
  }
  return placed;
}
