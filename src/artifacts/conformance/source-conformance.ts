import { Readable } from "node:stream";
import { expect, it } from "vitest";
import { sha256 } from "../../core/digest.js";
import type { ArtifactStore } from "../artifact-store.js";
import type { ConformanceContext } from "./conformance-context.js";
import { listAll } from "./list-all.js";
import { patternBytes } from "./pattern-bytes.js";

/** put from other sources than bytes: async iterables, Node streams, and a source that fails. */
export function sourceConformance<S extends ArtifactStore>(context: ConformanceContext<S>): void {
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
