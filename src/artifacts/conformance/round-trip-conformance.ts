import { expect, it } from "vitest";
import { digestHex, sha256 } from "../../core/digest.js";
import type { ArtifactStore } from "../artifact-store.js";
import type { ConformanceContext } from "./conformance-context.js";
import { listAll } from "./list-all.js";
import { patternBytes } from "./pattern-bytes.js";

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
}
