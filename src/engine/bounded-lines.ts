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
  return new Promise<void>((resolve, reject) => new BoundedLineReader(stream, options, sink, { resolve, reject }).listen());
}

/** One stream's reading: the unfinished line held, and whether a pass is under way or reading is over. */
class BoundedLineReader {
  #held: Buffer[] = [];
  #heldBytes = 0;
  #busy = false;
  #ended = false;
  #closed = false;
  #done = false;

  constructor(
    private readonly stream: Readable,
    private readonly options: BoundedLinesOptions,
    private readonly sink: LineSink,
    private readonly settle: { resolve(): void; reject(error: Error): void },
  ) {}

  listen(): void {
    this.stream.on("readable", this.#pump);
    this.stream.once("end", this.#onEnd);
    this.stream.once("close", this.#onClose);
    this.stream.once("error", this.#onClose);
  }

  #finish(error?: unknown): void {
    if (this.#done) return;
    this.#done = true;
    this.#held = [];
    this.stream.off("readable", this.#pump);
    this.stream.off("end", this.#onEnd);
    this.stream.off("close", this.#onClose);
    this.stream.off("error", this.#onClose);
    if (error === undefined) this.settle.resolve();
    else this.settle.reject(error as Error);
  }

  #take(part: Buffer): string {
    const line = Buffer.concat([...this.#held, part]).toString("utf8");
    this.#held = [];
    this.#heldBytes = 0;
    return line;
  }

  /** Handles the lines of one chunk; false once reading must stop (an overflow). */
  async #chunkLines(chunk: Buffer): Promise<boolean> {
    const { maxBytes } = this.options;
    let start = 0;
    for (let newline = chunk.indexOf(10, start); newline !== -1; newline = chunk.indexOf(10, start)) {
      if (this.#heldBytes + newline - start > maxBytes) return this.#overflow(chunk.subarray(start));
      const line = this.#take(chunk.subarray(start, newline));
      start = newline + 1;
      await this.sink.line(line);
    }
    if (this.#heldBytes + chunk.length - start > maxBytes) return this.#overflow(chunk.subarray(start));
    if (start < chunk.length) {
      // A copy: a view would keep the whole chunk alive for a few bytes of it.
      this.#held.push(Buffer.from(chunk.subarray(start)));
      this.#heldBytes += chunk.length - start;
    }
    return true;
  }

  async #overflow(part: Buffer): Promise<false> {
    const head = Buffer.from(Buffer.concat([...this.#held, part.subarray(0, HEAD_BYTES)]).subarray(0, HEAD_BYTES));
    this.#held = [];
    await this.sink.overflow(head);
    return false;
  }

  // One pass at a time: 'readable', 'end' and 'close' that come while a line is handled are
  // taken up by the pass in progress, which reads on once the line is done.
  readonly #pump = async (): Promise<void> => {
    if (this.#busy || this.#done) return;
    this.#busy = true;
    try {
      for (let chunk = this.stream.read() as Buffer | null; chunk !== null; chunk = this.stream.read() as Buffer | null) {
        if (!(await this.#chunkLines(chunk))) return this.#finish();
      }
      if (this.#ended && this.#heldBytes > 0 && this.options.unterminated === "line") await this.sink.line(this.#take(Buffer.alloc(0)));
      // Closed without an end: a read never finished, and what is held is not a line.
      if (this.#ended || this.#closed) this.#finish();
    } catch (error) {
      this.#finish(error);
    } finally {
      this.#busy = false;
    }
  };

  readonly #onEnd = (): void => {
    this.#ended = true;
    void this.#pump();
  };

  readonly #onClose = (): void => {
    this.#closed = true;
    void this.#pump();
  };
}
