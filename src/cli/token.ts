import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { RunledgerError } from "../core/errors.js";
import { fileNotFound } from "../core/file-not-found.js";
import type { CliIo, Output } from "./output.js";

/** The token options as commander parsed them. */
export interface TokenOptions {
  readonly token?: string;
  readonly tokenFile?: string;
}

/**
 * The bearer token the command presents: `--token-file FILE` (its first line, trimmed), or
 * `--token`, or RUNLEDGER_TOKEN; undefined when none is given. Both flags at once is ERR_USAGE,
 * since either would silently win over the other. A token on the command line works but warns:
 * every user of the machine can read it in /proc/<pid>/cmdline and `ps`.
 */
export function resolveToken(options: TokenOptions, io: CliIo, output: Output): string | undefined {
  if (options.tokenFile !== undefined && options.token !== undefined) {
    throw new RunledgerError("ERR_USAGE", { detail: "--token and --token-file both given: pass one (prefer --token-file FILE or RUNLEDGER_TOKEN)" });
  }
  if (options.tokenFile !== undefined) return readTokenFile(resolve(io.cwd, options.tokenFile), output);
  if (options.token !== undefined) {
    output.warn(
      "token.argv",
      "--token on the command line is visible to other users of this machine (ps, /proc/<pid>/cmdline); pass it in RUNLEDGER_TOKEN or with --token-file FILE",
    );
    return options.token;
  }
  const fromEnv = io.env["RUNLEDGER_TOKEN"];
  return fromEnv === undefined || fromEnv === "" ? undefined : fromEnv;
}

/** The first line of a token file, trimmed; a warning when group or others may read the file. */
function readTokenFile(path: string, output: Output): string {
  let text: string;
  let mode: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new RunledgerError("ERR_USAGE", { detail: `--token-file ${path} is not a regular file` });
    mode = stat.mode;
    text = readFileSync(path, "utf8");
  } catch (error) {
    if (error instanceof RunledgerError) throw error;
    throw fileNotFound(`--token-file ${path}`, error);
  }
  if ((mode & 0o044) !== 0) {
    output.warn("token.file_mode", `--token-file ${path} is readable by other users (mode ${(mode & 0o777).toString(8)}); restrict it with chmod 600`);
  }
  const token = (text.split(/\r?\n/, 1)[0] ?? "").trim();
  if (token === "") throw new RunledgerError("ERR_USAGE", { detail: `--token-file ${path}: the first line is empty; write the token on it` });
  return token;
}
