import type { Readable } from "node:stream";

/** Where a bounded line reader hands what it reads. */
export interface LineSink {
  /** One line, without its newline; the stream is not read until the returned promise settles. */
  line(line: string): unknown;
  /** A line grew past the limit: its first bytes (up to HEAD_BYTES), for naming who sent it. Reading stops. */
  overflow(head: Buffer): unknown;
}

export interface BoundedLinesOptions {
  /** The longest line taken, in bytes, newline excluded. */
  readonly maxBytes: number;
  /** What becomes of bytes after the last newline when the stream ends: a line of their own, or nothing. */
  readonly unterminated: "line" | "drop";
}

/** How much of an overlong line `overflow` is shown: enough for a request's leading token field. */
export const HEAD_BYTES = 256;

/**
 * Reads newline-delimited lines from `stream`, one at a time, holding at most `maxBytes` of an
 * unfinished line (readline holds a line whole, however long, and a peer that never sends a
 * newline grows it until the process dies). Reading waits while `sink.line` handles a line, so a
 * peer that sends faster than its lines are answered waits in its socket's buffers, not in ours.
 * Resolves when the stream ends, fails, or overflows; rejects only with what the sink throws.
 */
export function readBoundedLines(stream: Readable, options: BoundedLinesOptions, sink: LineSink): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let held: Buffer[] = [];
    let heldBytes = 0;
    let busy = false;
    let ended = false;
    let closed = false;
    let done = false;
    const finish = (error?: unknown) => {
      if (done) return;
      done = true;
      held = [];
      stream.off("readable", pump);
      stream.off("end", onEnd);
      stream.off("close", onClose);
      stream.off("error", onClose);
      if (error === undefined) resolve();
      else reject(error as Error);
    };
    const take = (part: Buffer): string => {
      const line = Buffer.concat([...held, part]).toString("utf8");
      held = [];
      heldBytes = 0;
      return line;
    };
    /** Handles the lines of one chunk; false once reading must stop (an overflow). */
    const chunkLines = async (chunk: Buffer): Promise<boolean> => {
      let start = 0;
      for (let newline = chunk.indexOf(10, start); newline !== -1; newline = chunk.indexOf(10, start)) {
        if (heldBytes + newline - start > options.maxBytes) return overflow(chunk.subarray(start));
        const line = take(chunk.subarray(start, newline));
        start = newline + 1;
        await sink.line(line);
      }
      if (heldBytes + chunk.length - start > options.maxBytes) return overflow(chunk.subarray(start));
      if (start < chunk.length) {
        // A copy: a view would keep the whole chunk alive for a few bytes of it.
        held.push(Buffer.from(chunk.subarray(start)));
        heldBytes += chunk.length - start;
      }
      return true;
    };
    const overflow = async (part: Buffer): Promise<false> => {
      const head = Buffer.from(Buffer.concat([...held, part.subarray(0, HEAD_BYTES)]).subarray(0, HEAD_BYTES));
      held = [];
      await sink.overflow(head);
      return false;
    };
    // One pass at a time: 'readable', 'end' and 'close' that come while a line is handled are
    // taken up by the pass in progress, which reads on once the line is done.
    async function pump(): Promise<void> {
      if (busy || done) return;
      busy = true;
      try {
        for (let chunk = stream.read() as Buffer | null; chunk !== null; chunk = stream.read() as Buffer | null) {
          if (!(await chunkLines(chunk))) return finish();
        }
        if (ended && heldBytes > 0 && options.unterminated === "line") await sink.line(take(Buffer.alloc(0)));
        // Closed without an end: a read never finished, and what is held is not a line.
        if (ended || closed) finish();
      } catch (error) {
        finish(error);
      } finally {
        busy = false;
      }
    }
    function onEnd(): void {
      ended = true;
      void pump();
    }
    function onClose(): void {
      closed = true;
      void pump();
    }
    stream.on("readable", pump);
    stream.once("end", onEnd);
    stream.once("close", onClose);
    stream.once("error", onClose);
  });
}
