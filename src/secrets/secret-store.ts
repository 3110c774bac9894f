import { randomBytes } from "node:crypto";
import { chmod, lstat, mkdir, open, readdir, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { ActorSchema, TimestampSchema, type Actor } from "../contracts/common.js";
import { RunledgerError } from "../core/errors.js";
import { STATE_DIR } from "../core/state-dir.js";
import { SECRET_NAME } from "./secret-name.js";
import type { SecretSource } from "./secret-source.js";
import { isAlive } from "../processes/is-alive.js";

/** What is known about a stored secret besides its value: safe to print and to record. */
export interface SecretInfo {
  readonly name: string;
  /** 1 when set, one more at each rotation. */
  readonly version: number;
  readonly set_at_utc: string;
  readonly set_by: Actor;
}

const StoredSecretSchema = z
  .object({ name: z.string().regex(SECRET_NAME), version: z.number().int().positive(), set_at_utc: TimestampSchema, set_by: ActorSchema, value: z.string() })
  .strict();

/** A written but not yet visible secret: `commit` makes it current, `abort` drops it. */
export interface StagedSecret {
  readonly info: SecretInfo;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/**
 * The workspace's secret store: one JSON file per secret under `.runledger/secrets/` (directory
 * 0700, files 0600), holding the value and its version. The ledger records only that a secret was
 * set, rotated or removed (name and version), never the value or any digest of it.
 */
export class SecretStore implements SecretSource {
  constructor(readonly dir: string) {}

  async list(): Promise<SecretInfo[]> {
    return (await this.#readAll()).map(infoOf);
  }

  /** Every stored value, for the workspace's SecretMask: never printed, never recorded. */
  async values(): Promise<string[]> {
    // An unreadable file holds no value anyone can be given: it does not stop the others.
    return (await this.#readAll(true)).map((stored) => stored.value);
  }

  async #readAll(skipUnreadable = false): Promise<z.infer<typeof StoredSecretSchema>[]> {
    const names = await this.#names();
    const all: z.infer<typeof StoredSecretSchema>[] = [];
    for (const file of names.sort()) {
      const name = file.endsWith(".json") ? file.slice(0, -".json".length) : "";
      if (!SECRET_NAME.test(name)) continue;
      const stored = await this.#read(name).catch((error: unknown) => {
        if (skipUnreadable) return undefined;
        throw error;
      });
      if (stored) all.push(stored);
    }
    return all;
  }

  /** The directory's entries, after removing the temporary files of writers that died (see sweepTempFiles). */
  async #names(): Promise<string[]> {
    const names = await readdir(this.dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return [] as string[];
      throw error;
    });
    const swept = await sweepTempFiles(this.dir, names);
    return names.filter((name) => !swept.has(name));
  }

  async describe(name: string): Promise<SecretInfo | undefined> {
    const stored = await this.#read(name);
    return stored && infoOf(stored);
  }

  async has(name: string): Promise<boolean> {
    return (await this.#read(name)) !== undefined;
  }

  async get(name: string): Promise<string | undefined> {
    return (await this.#read(name))?.value;
  }

  async read(name: string): Promise<{ value: string; version: number } | undefined> {
    const stored = await this.#read(name);
    return stored && { value: stored.value, version: stored.version };
  }

  /** Writes the new value to a private temporary file; nothing reads it until `commit`. */
  async stage(info: SecretInfo, value: string): Promise<StagedSecret> {
    assertLongEnough(info.name, value);
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await chmod(this.dir, 0o700);
    await this.#names();
    // The writer's pid is in the name: a later open removes the file once that process is gone.
    const temp = join(this.dir, `.${info.name}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
    const handle = await open(temp, "wx", 0o600);
    try {
      await handle.writeFile(`${JSON.stringify({ ...info, value })}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    const target = this.#path(info.name);
    return { info, commit: () => rename(temp, target), abort: () => rm(temp, { force: true }) };
  }

  async remove(name: string): Promise<void> {
    await rm(this.#path(name), { force: true });
  }

  #path(name: string): string {
    return join(this.dir, `${name}.json`);
  }

  async #read(name: string): Promise<z.infer<typeof StoredSecretSchema> | undefined> {
    if (!SECRET_NAME.test(name)) return undefined;
    let text: string;
    try {
      text = await readFile(this.#path(name), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw new RunledgerError("ERR_STORAGE", { detail: `cannot read secret ${name}: ${(error as Error).message}` });
    }
    const parsed = StoredSecretSchema.safeParse(safeJson(text));
    // Never echo the file: it holds the value.
    if (!parsed.success || parsed.data.name !== name)
      throw new RunledgerError("ERR_STORAGE", { detail: `secret store file for ${name} is unreadable; set it again with runledger secret rotate` });
    return parsed.data;
  }
}

/** The shortest value a secret may have, in characters: a shorter one would be masked inside unrelated text everywhere, and give itself away. */
export const MIN_SECRET_LENGTH = 8;

function assertLongEnough(name: string, value: string): void {
  const length = [...value].length;
  if (length < MIN_SECRET_LENGTH)
    throw new RunledgerError("ERR_SECRET_TOO_SHORT", { detail: `${name} has ${length} characters; the minimum is ${MIN_SECRET_LENGTH}` });
}

/** A temporary file of a writer that may still be writing it is kept this long at most. */
const TEMP_MAX_AGE_MS = 10 * 60_000;

const TEMP_FILE = /^\.[A-Za-z0-9_]+\.(?:(\d+)\.)?[0-9a-f]+\.tmp$/;

/**
 * Removes the temporary files (each holding a value) that a `secret set` killed before its rename
 * left behind: those whose writer's pid is gone, and any older than TEMP_MAX_AGE_MS. Returns the
 * names removed.
 */
async function sweepTempFiles(dir: string, names: readonly string[]): Promise<Set<string>> {
  const swept = new Set<string>();
  for (const name of names) {
    const match = TEMP_FILE.exec(name);
    if (!match) continue;
    const path = join(dir, name);
    const age = await lstat(path).then(
      (info) => Date.now() - info.mtimeMs,
      () => undefined,
    );
    if (age === undefined) continue;
    const writerGone = match[1] !== undefined && !isAlive(Number(match[1]));
    if (!writerGone && age < TEMP_MAX_AGE_MS) continue;
    await rm(path, { force: true });
    swept.add(name);
  }
  return swept;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function infoOf(stored: z.infer<typeof StoredSecretSchema>): SecretInfo {
  return { name: stored.name, version: stored.version, set_at_utc: stored.set_at_utc, set_by: stored.set_by };
}

/** The secret store of the workspace at `root`: `<root>/.runledger/secrets/`. */
export function workspaceSecretStore(root: string): SecretStore {
  return new SecretStore(join(root, STATE_DIR, "secrets"));
}
