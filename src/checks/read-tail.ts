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
    let start = 0;
    // The cut may land inside a multi-byte character; skip its continuation bytes.
    while (start < length && start < 4 && ((bytes[start] ?? 0) & 0xc0) === 0x80) start++;
    return { text: bytes.subarray(start).toString("utf8"), totalBytes: size };
  } finally {
    await handle.close();
  }
}
