import { expect, it } from "vitest";
import { sha256 } from "../../core/digest.js";
import type { ArtifactStore } from "../artifact-store.js";
import type { ConformanceContext } from "./conformance-context.js";
import { patternBytes } from "./pattern-bytes.js";

/** Many puts at once, of the same and of different content. */
export function concurrencyConformance<S extends ArtifactStore>(context: ConformanceContext<S>): void {
  it("accepts concurrent puts of the same and of different content", async () => {
    const store = context.store();
    const contents = Array.from({ length: 8 }, (_, seed) => patternBytes(50_000 + seed, seed + 100));
    const writes = contents.flatMap((bytes) => [
      store.put(bytes),
      store.put(Buffer.from(bytes)),
      store.putStream([bytes.subarray(0, 1000), bytes.subarray(1000)]),
    ]);
    const stored = await Promise.all(writes);

    stored.forEach((record, index) => {
      const bytes = contents[Math.floor(index / 3)] ?? new Uint8Array(0);
      expect(record.digest).toBe(sha256(bytes));
      expect(record.size_bytes).toBe(bytes.byteLength);
    });
    const listed: string[] = [];
    for await (const digest of store.list()) listed.push(digest);
    expect(listed).toStrictEqual(contents.map((bytes) => sha256(bytes)).sort());
    for (const bytes of contents) {
      expect(Buffer.from(await store.get(sha256(bytes))).equals(Buffer.from(bytes))).toBe(true);
    }
    expect(await store.verifyAll()).toStrictEqual({ checked: 8, corrupt: [] });
  });
}
