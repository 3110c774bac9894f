import { createReadStream, createWriteStream } from "node:fs";
import { readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { once } from "node:events";
import type { Redactor } from "./redact.js";

/** Files up to this size are redacted in memory, and rewritten only when something was masked. */
const IN_MEMORY = 1 << 20;

/**
 * Rewrites a file through the redactor, chunk by chunk (bytes read as latin1, so binary output
 * survives byte for byte), and replaces it atomically. A missing or empty file is left as it is;
 * a small one is rewritten only when the redactor changed it.
 */
export async function redactFile(path: string, redactor: Redactor): Promise<void> {
  const size = await stat(path).then(
    (s) => s.size,
    (error: NodeJS.ErrnoException) => (error.code === "ENOENT" ? 0 : Promise.reject(error)),
  );
  if (size === 0) return;
  const stream = redactor.latin1().stream();
  const temp = `${path}.redacting`;
  if (size <= IN_MEMORY) {
    const text = await readFile(path, "latin1");
    const redacted = stream.push(text) + stream.end();
    if (redacted === text) return;
    await writeFile(temp, redacted, "latin1");
    await rename(temp, path);
    return;
  }
  let input;
  try {
    input = createReadStream(path, { encoding: "latin1" });
    await once(input, "open");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  const output = createWriteStream(temp);
  try {
    for await (const chunk of input as AsyncIterable<string>) {
      const out = stream.push(chunk);
      if (out.length > 0 && !output.write(out, "latin1")) await once(output, "drain");
    }
    output.end(stream.end(), "latin1");
    await once(output, "close");
    await rename(temp, path);
  } catch (error) {
    output.destroy();
    await rm(temp, { force: true });
    throw error;
  }
}
