import { readdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { expect, it } from "vitest";
import { isDigest, type Digest } from "../../core/digest.js";
import type { ArtifactStore } from "../artifact-store.js";
import type { ConformanceContext } from "./conformance-context.js";
import { expectRunledgerError } from "./expect-runledger-error.js";
import { patternBytes } from "./pattern-bytes.js";

/** Corrupted blobs: every read path refuses them, verifyAll reports them. */
export function integrityConformance<S extends ArtifactStore>(context: ConformanceContext<S>): void {
  async function storeCorrupted(): Promise<{ store: S; digest: Digest }> {
    const store = context.store();
    const { digest } = await store.put(patternBytes(100_000, 11));
    await context.factory.corrupt(store, digest);
    return { store, digest };
  }

  it("get refuses a corrupted blob with ERR_ARTIFACT_CORRUPT naming both digests", async () => {
    const { store, digest } = await storeCorrupted();
    const error = await expectRunledgerError(() => store.get(digest), "ERR_ARTIFACT_CORRUPT");
    expect(error.message).toContain(digest);
    expect(error.context["digest"]).toBe(digest);
    expect(isDigest(error.context["actual"])).toBe(true);
    expect(error.context["actual"]).not.toBe(digest);
  });

  it("verify refuses a corrupted blob with ERR_ARTIFACT_CORRUPT", async () => {
    const { store, digest } = await storeCorrupted();
    const error = await expectRunledgerError(() => store.verify(digest), "ERR_ARTIFACT_CORRUPT");
    expect(error.context["digest"]).toBe(digest);
  });

  it("getToFile refuses a corrupted blob and leaves no destination file", async () => {
    const { store, digest } = await storeCorrupted();
    const dest = context.scratchPath("corrupt", "out.bin");
    await expectRunledgerError(() => store.getToFile(digest, dest), "ERR_ARTIFACT_CORRUPT");
    await expect(readFile(dest)).rejects.toMatchObject({ code: "ENOENT" });
    // Neither the destination nor any temp file may remain beside it.
    expect(await readdir(dirname(dest)).catch(() => [])).toStrictEqual([]);
  });

  it("getToFile of a corrupted blob leaves an existing destination untouched", async () => {
    const { store, digest } = await storeCorrupted();
    const dest = context.scratchPath("kept.txt");
    await writeFile(dest, "previous");
    await expectRunledgerError(() => store.getToFile(digest, dest), "ERR_ARTIFACT_CORRUPT");
    expect(await readFile(dest, "utf8")).toBe("previous");
  });

  it("verifyAll reports exactly the corrupted blobs and keeps the others readable", async () => {
    const store = context.store();
    expect(await store.verifyAll()).toStrictEqual({ checked: 0, corrupt: [] });
    const kept = await store.put("intact one");
    const { digest } = await store.put("to be damaged");
    const other = await store.put(new Uint8Array(0));
    expect(await store.verifyAll()).toStrictEqual({ checked: 3, corrupt: [] });
    await context.factory.corrupt(store, digest);
    expect(await store.verifyAll()).toStrictEqual({ checked: 3, corrupt: [digest] });
    expect(Buffer.from(await store.get(kept.digest)).toString()).toBe("intact one");
    expect((await store.get(other.digest)).byteLength).toBe(0);
  });
}
