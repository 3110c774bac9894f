import { open } from "node:fs/promises";

/**
 * The last `limit` bytes of a file as UTF-8 text, starting at a character boundary, and the
 * file's size: the bounded stdout and stderr tails in receipts and command checks' evidence.
 */
export async function readTail(path: string, limit = 2048): Promise<{ text: string; totalBytes: number }> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, limit);
    const bytes = Buffer.alloc(length);
    await handle.read(bytes, 0, length, size - length);
    return { text: tailText(bytes, limit), totalBytes: size };
  } finally {
    await handle.close();
  }
}

/** The last `limit` bytes as UTF-8 text, starting at a character boundary. */
export function tailText(bytes: Uint8Array, limit = 2048): string {
  let start = Math.max(0, bytes.length - limit);
  // The cut may land inside a multi-byte character; skip its continuation bytes.
  for (let skipped = 0; start < bytes.length && skipped < 4 && ((bytes[start] ?? 0) & 0xc0) === 0x80; skipped++) start++;
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, bytes.length - start).toString("utf8");
}
