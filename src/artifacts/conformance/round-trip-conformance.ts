import { Readable } from "node:stream";
import { expect, it } from "vitest";
import { digestHex, sha256 } from "../../core/digest.js";
import type { ArtifactStore } from "../artifact-store.js";
import type { ConformanceContext } from "./conformance-context.js";
import { patternBytes } from "./pattern-bytes.js";

async function listAll(store: ArtifactStore): Promise<string[]> {
  const digests: string[] = [];
  for await (const digest of store.list()) digests.push(digest);
  return digests;
}

/** put/putStream followed by get: digests, sizes, refs, deduplication, the empty blob. */
export function roundTripConformance<S extends ArtifactStore>(context: ConformanceContext<S>): void {
  it("stores bytes under their sha256 and returns them", async () => {
    const store = context.store();
    const bytes = patternBytes(1000, 7);
    const stored = await store.put(bytes);
    const digest = sha256(bytes);
    expect(stored).toStrictEqual({
      ref: `artifact://sha256/${digestHex(digest)}`,
      digest,
      digest_alg: "sha256",
      schema_version: "1",
      size_bytes: 1000,
    });
    const read = await store.get(digest);
    expect(read).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(read).equals(Buffer.from(bytes))).toBe(true);
  });

  it("stores a string as its UTF-8 bytes", async () => {
    const text = "héllo, ledger ✓\n";
    const stored = await context.store().put(text);
    expect(stored.digest).toBe(sha256(text));
    expect(stored.size_bytes).toBe(Buffer.byteLength(text, "utf8"));
    expect(stored.ref).toMatch(/^artifact:\/\/sha256\/[0-9a-f]{64}$/);
    expect(Buffer.from(await context.store().get(stored.digest)).toString("utf8")).toBe(text);
  });

  it("echoes the media type into the record", async () => {
    const stored = await context.store().put("{}", { mediaType: "application/json" });
    expect(stored.media_type).toBe("application/json");
  });

  it("gives the same content the same digest and stores it once", async () => {
    const store = context.store();
    const first = await store.put("same content");
    const second = await store.put(Buffer.from("same content", "utf8"));
    const third = await store.putStream([Buffer.from("same "), "content"]);
    expect(second).toStrictEqual(first);
    expect(third).toStrictEqual(first);
    expect(await listAll(store)).toStrictEqual([first.digest]);
  });

  it("stores the empty blob", async () => {
    const store = context.store();
    const stored = await store.put(new Uint8Array(0));
    expect(stored.digest).toBe(sha256(""));
    expect(stored.size_bytes).toBe(0);
    expect((await store.get(stored.digest)).byteLength).toBe(0);
    expect(await store.stat(stored.digest)).toStrictEqual({ size_bytes: 0 });
    await store.verify(stored.digest);
  });

  it("stores the chunks of an async iterable, strings as UTF-8", async () => {
    async function* chunks(): AsyncGenerator<Uint8Array | string> {
      yield "ab";
      yield new Uint8Array([0x63]);
      yield "✓";
    }
    const stored = await context.store().putStream(chunks());
    expect(stored.digest).toBe(sha256("abc✓"));
    expect(stored.size_bytes).toBe(Buffer.byteLength("abc✓"));
  });

  it("stores a Node readable stream", async () => {
    const parts = [patternBytes(70_000, 1), patternBytes(3, 2), patternBytes(70_000, 3)];
    const stored = await context.store().putStream(Readable.from(parts.map((part) => Buffer.from(part))));
    expect(stored.digest).toBe(sha256(Buffer.concat(parts)));
    expect(stored.size_bytes).toBe(140_003);
  });

  it("propagates a failing source unchanged and stores nothing", async () => {
    const store = context.store();
    async function* failing(): AsyncGenerator<string> {
      yield "partial";
      throw new Error("source broke");
    }
    await expect(store.putStream(failing())).rejects.toThrow("source broke");
    expect(await store.has(sha256("partial"))).toBe(false);
    expect(await listAll(store)).toStrictEqual([]);
  });
}
