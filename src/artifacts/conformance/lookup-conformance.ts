import { readFile } from "node:fs/promises";
import { expect, it } from "vitest";
import { sha256 } from "../../core/digest.js";
import type { ArtifactStore } from "../artifact-store.js";
import type { ConformanceContext } from "./conformance-context.js";
import { expectRunledgerError } from "./expect-runledger-error.js";

/** has, stat, list and localPath. */
export function lookupConformance<S extends ArtifactStore>(context: ConformanceContext<S>): void {
  it("answers has and stat for present and absent blobs", async () => {
    const store = context.store();
    const absent = sha256("never stored");
    expect(await store.has(absent)).toBe(false);
    expect(await store.stat(absent)).toBeUndefined();
    const stored = await store.put("twelve bytes");
    expect(await store.has(stored.digest)).toBe(true);
    expect(await store.stat(stored.digest)).toStrictEqual({ size_bytes: 12 });
  });

  it("lists every stored digest once, in ascending order", async () => {
    const store = context.store();
    const listed: string[] = [];
    for await (const digest of store.list()) listed.push(digest);
    expect(listed).toStrictEqual([]);
    const digests = await Promise.all(["a", "b", "c", "d", "e", "a"].map(async (text) => (await store.put(text)).digest));
    for await (const digest of store.list()) listed.push(digest);
    expect(listed).toStrictEqual([...new Set(digests)].sort());
  });

  it("gives a readable local path exactly when it has the localPaths capability", async () => {
    const store = context.store();
    const stored = await store.put("local bytes");
    const path = await store.localPath(stored.digest);
    if (!store.capabilities.localPaths) {
      expect(path).toBeUndefined();
      return;
    }
    expect(typeof path).toBe("string");
    expect(await readFile(path ?? "", "utf8")).toBe("local bytes");
    await expectRunledgerError(() => store.localPath(sha256("absent")), "ERR_ARTIFACT_NOT_FOUND");
  });
}
