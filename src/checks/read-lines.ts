import { createInterface } from "node:readline";
import { openCheckStream } from "./resolve-check-path.js";

/**
 * The non-blank lines of a file with their 1-based line numbers, streamed. A read error or an
 * abort is thrown, never taken for the end of the file.
 */
export async function* readLines(file: string, signal: AbortSignal): AsyncGenerator<{ readonly line: number; readonly text: string }> {
  const input = openCheckStream(file, signal);
  // readline may end quietly when its input fails; remember the error so a short read never passes.
  let failure: unknown;
  input.on("error", (error) => {
    failure ??= error;
  });
  let line = 0;
  try {
    for await (const text of createInterface({ input, crlfDelay: Infinity })) {
      if (failure !== undefined) throw failure;
      line++;
      if (text.trim() !== "") yield { line, text };
    }
    if (failure !== undefined) throw failure;
    signal.throwIfAborted();
  } finally {
    input.destroy();
  }
}
