import { createReadStream, createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { once } from "node:events";
import type { Redactor } from "./redact.js";

/**
 * Rewrites a file through the redactor, chunk by chunk (bytes read as latin1, so binary output
 * survives byte for byte), and replaces it atomically. A missing file is left missing.
 */
export async function redactFile(path: string, redactor: Redactor): Promise<void> {
  const stream = redactor.latin1().stream();
  const temp = `${path}.redacting`;
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
