import { RunledgerError } from "../core/errors.js";
import type { CliIo } from "./output.js";

type Stdin = NonNullable<CliIo["stdin"]> & { setRawMode?: (raw: boolean) => unknown };

/**
 * Reads a secret's value from standard input: piped, all of it with one trailing newline removed;
 * at a terminal, one line typed without echo. An empty value fails with ERR_USAGE, as does a value
 * holding a NUL byte (an environment variable cannot carry one).
 */
export async function readSecretValue(io: CliIo, name: string): Promise<string> {
  const stdin = io.stdin as Stdin | undefined;
  if (!stdin) throw new RunledgerError("ERR_USAGE", { detail: `no standard input to read ${name} from; pipe the value in` });
  const raw = stdin.isTTY && stdin.setRawMode ? await readHidden(stdin, io, name) : await readAll(stdin);
  const value = raw.endsWith("\r\n") ? raw.slice(0, -2) : raw.endsWith("\n") ? raw.slice(0, -1) : raw;
  if (value === "") {
    throw new RunledgerError("ERR_USAGE", {
      detail: `empty value for ${name} on standard input; pipe it in, e.g. printf '%s' "$VALUE" | runledger secret set ${name} --reason "…"`,
    });
  }
  if (value.includes("\0"))
    throw new RunledgerError("ERR_USAGE", { detail: `the value for ${name} holds a NUL byte, which an environment variable cannot carry` });
  return value;
}

async function readAll(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}

/** One line from a terminal in raw mode, so the value is never echoed; Ctrl-C aborts. */
function readHidden(stdin: Stdin, io: CliIo, name: string): Promise<string> {
  io.stderr.write(`value of ${name} (not shown; Enter to finish): `);
  stdin.setRawMode?.(true);
  stdin.resume();
  let value = "";
  return new Promise<string>((resolve, reject) => {
    const done = (error?: Error) => {
      stdin.removeListener("data", onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      io.stderr.write("\n");
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: Buffer | string) => {
      for (const char of chunk.toString()) {
        if (char === "\r" || char === "\n" || char === "\u0004") return done();
        if (char === "\u0003") return done(new RunledgerError("ERR_USAGE", { detail: `interrupted; ${name} was not changed` }));
        if (char === "\u007f" || char === "\b") value = value.slice(0, -1);
        else value += char;
      }
    };
    stdin.on("data", onData);
  });
}
