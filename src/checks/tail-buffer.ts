/**
 * Keeps the last `limit` bytes written to it, in bounded memory, plus the total byte count; used for
 * the stdout/stderr tails in a command check's evidence.
 */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private held = 0;
  private total = 0;

  constructor(private readonly limit = 2048) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.held += chunk.length;
    this.total += chunk.length;
    if (this.held > 2 * this.limit) this.compact();
  }

  /** Bytes written so far, including those no longer held. */
  get totalBytes(): number {
    return this.total;
  }

  /** The tail as UTF-8 text, starting at a character boundary. */
  text(): string {
    this.compact();
    const bytes = this.chunks[0] ?? Buffer.alloc(0);
    let start = 0;
    // The cut may land inside a multi-byte character; skip its continuation bytes.
    while (start < bytes.length && start < 4 && ((bytes[start] ?? 0) & 0xc0) === 0x80) start++;
    return bytes.subarray(start).toString("utf8");
  }

  private compact(): void {
    const all = Buffer.concat(this.chunks);
    const tail = all.length > this.limit ? all.subarray(all.length - this.limit) : all;
    this.chunks = [Buffer.from(tail)];
    this.held = tail.length;
  }
}
