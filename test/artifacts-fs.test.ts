import { chmod, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CHUNK_BYTES } from "../src/artifacts/fs/byte-chunks.js";
import { nodeFileSystem, type FileSystem } from "../src/artifacts/fs/file-system.js";
import { openFsArtifactStore, type FsArtifactStore } from "../src/artifacts/fs/fs-artifact-store.js";
import { expectRunledgerError, patternBytes, runArtifactStoreConformance } from "../src/artifacts/conformance/index.js";
import { sha256, type Digest } from "../src/core/digest.js";

const roots: string[] = [];

async function freshRoot(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "runledger-fs-artifacts-"));
  roots.push(root);
  return root;
}

afterAll(async () => {
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
});

/** Flips the first byte of the blob file, as disk rot would; blobs are 0444, so unlock it briefly. */
async function corruptBlob(store: FsArtifactStore, digest: Digest): Promise<void> {
  const path = store.layout.blobPath(digest);
  const bytes = await readFile(path);
  bytes[0] = (bytes[0] ?? 0) ^ 0xff;
  await chmod(path, 0o644);
  await writeFile(path, bytes);
  await chmod(path, 0o400);
}

runArtifactStoreConformance("fs", {
  create: async () => openFsArtifactStore(await freshRoot()),
  corrupt: corruptBlob,
});

function injected(code: string): Error {
  return Object.assign(new Error(`${code}: injected`), { code });
}

/** The real filesystem, except that every handle opened to create a file matching `target` gets `wrapWrite`. */
function interceptWrites(target: (path: string) => boolean, wrapWrite: (write: FileHandle["write"]) => FileHandle["write"]): FileSystem {
  return {
    ...nodeFileSystem,
    async open(path, flags, mode) {
      const handle = await nodeFileSystem.open(path, flags, mode);
      if (flags === "wx" && target(path)) handle.write = wrapWrite(handle.write.bind(handle));
      return handle;
    },
  };
}

async function listAll(store: FsArtifactStore): Promise<Digest[]> {
  const digests: Digest[] = [];
  for await (const digest of store.list()) digests.push(digest);
  return digests;
}

describe("FsArtifactStore", () => {
  it("creates a missing root and stores blobs read-only at sha256/<2 hex>/<62 hex>", async () => {
    const root = join(await freshRoot(), "nested", "store");
    const store = await openFsArtifactStore(root);
    const { digest } = await store.put("layout");
    const hex = digest.slice("sha256:".length);
    const path = join(root, "sha256", hex.slice(0, 2), hex.slice(2));
    expect(store.layout.blobPath(digest)).toBe(path);
    expect(await store.localPath(digest)).toBe(path);
    expect((await stat(path)).mode & 0o777).toBe(0o400);
    expect(await readFile(path, "utf8")).toBe("layout");
  });

  it("leaves no temp file behind after puts, deduplicated puts and failed puts", async () => {
    const store = await openFsArtifactStore(await freshRoot());
    await store.put("kept");
    await store.put("kept");
    await store.putFile(await writeScratch(patternBytes(200_000, 3)));
    async function* failing(): AsyncGenerator<string> {
      yield "half";
      throw new Error("source broke");
    }
    await expect(store.putStream(failing())).rejects.toThrow("source broke");
    expect(await readdir(store.layout.tempDir)).toStrictEqual([]);
  });

  it("does not rewrite content already stored", async () => {
    const store = await openFsArtifactStore(await freshRoot());
    const { digest } = await store.put("once");
    const before = await stat(store.layout.blobPath(digest));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await store.put("once");
    const after = await stat(store.layout.blobPath(digest));
    expect([after.ino, after.mtimeMs]).toStrictEqual([before.ino, before.mtimeMs]);
  });

  it("hashes small content first: storing bytes or a small file it already holds opens no temp file", async () => {
    const opens: string[] = [];
    const fileSystem: FileSystem = { ...nodeFileSystem, open: (path, flags, mode) => (opens.push(`${flags} ${path}`), nodeFileSystem.open(path, flags, mode)) };
    const store = await openFsArtifactStore(await freshRoot(), { fileSystem });
    const first = await store.put("log line\n");
    expect(opens.filter((o) => o.startsWith("wx "))).toHaveLength(1);
    const again = await store.put(Buffer.from("log line\n"));
    const fromFile = await store.putFile(await writeScratch(Buffer.from("log line\n")));
    expect([again.digest, fromFile.digest]).toEqual([first.digest, first.digest]);
    expect(opens.filter((o) => o.startsWith("wx "))).toHaveLength(1);
    expect(Buffer.from(await store.get(first.digest)).toString()).toBe("log line\n");
  });

  it("replaces a stored copy whose size shows it is damaged", async () => {
    const store = await openFsArtifactStore(await freshRoot());
    const { digest } = await store.put("full content");
    await chmod(store.layout.blobPath(digest), 0o644);
    await writeFile(store.layout.blobPath(digest), "full");
    await store.put("full content");
    expect(Buffer.from(await store.get(digest)).toString()).toBe("full content");
  });

  it("ignores crash leftovers in list and verifyAll, and sweeps the stale ones on open", async () => {
    const root = await freshRoot();
    const store = await openFsArtifactStore(root);
    const { digest } = await store.put("real");
    const stale = join(store.layout.tempDir, "crashed-long-ago.tmp");
    const young = join(store.layout.tempDir, "still-writing.tmp");
    await writeFile(stale, "half a blob");
    await writeFile(young, "another half");
    await writeFile(join(store.layout.shardDir(digest), "not-a-blob"), "junk");
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    await utimes(stale, twoMinutesAgo, twoMinutesAgo);

    expect(await listAll(store)).toStrictEqual([digest]);
    expect(await store.verifyAll()).toStrictEqual({ checked: 1, corrupt: [] });
    await openFsArtifactStore(root);
    expect(await readdir(store.layout.tempDir)).toStrictEqual(["still-writing.tmp"]);
  });

  it("surfaces ENOSPC at the write as ERR_STORAGE and stores nothing under the digest", async () => {
    const root = await freshRoot();
    const fileSystem = interceptWrites(
      (path) => path.startsWith(join(root, "tmp")),
      () => (() => Promise.reject(injected("ENOSPC"))) as FileHandle["write"],
    );
    const store = await openFsArtifactStore(root, { fileSystem });
    const error = await expectRunledgerError(() => store.put("does not fit"), "ERR_STORAGE");
    expect(error.context).toMatchObject({ errno: "ENOSPC", operation: "write" });
    expect(await store.has(sha256("does not fit"))).toBe(false);
    expect(await listAll(store)).toStrictEqual([]);
    expect(await readdir(store.layout.tempDir)).toStrictEqual([]);
  });

  it("surfaces EIO at the rename as ERR_STORAGE and leaves no temp file", async () => {
    const root = await freshRoot();
    const fileSystem: FileSystem = { ...nodeFileSystem, rename: () => Promise.reject(injected("EIO")) };
    const store = await openFsArtifactStore(root, { fileSystem });
    const error = await expectRunledgerError(() => store.put("never renamed"), "ERR_STORAGE");
    expect(error.context).toMatchObject({ errno: "EIO", operation: "rename" });
    expect(await store.has(sha256("never renamed"))).toBe(false);
    expect(await readdir(store.layout.tempDir)).toStrictEqual([]);
  });

  it("surfaces ENOSPC while checking out as ERR_STORAGE and leaves no destination", async () => {
    const root = await freshRoot();
    const outDir = await freshRoot();
    const fileSystem = interceptWrites(
      (path) => path.startsWith(outDir),
      () => (() => Promise.reject(injected("ENOSPC"))) as FileHandle["write"],
    );
    const store = await openFsArtifactStore(root, { fileSystem });
    const { digest } = await store.put("checked out");
    const error = await expectRunledgerError(() => store.getToFile(digest, join(outDir, "copy.txt")), "ERR_STORAGE");
    expect(error.context).toMatchObject({ errno: "ENOSPC" });
    expect(await readdir(outDir)).toStrictEqual([]);
  });

  it("streams putFile and getToFile in bounded chunks, fsyncing the shard after the rename", async () => {
    const root = await freshRoot();
    const outDir = await freshRoot();
    const writes: number[] = [];
    const opens: string[] = [];
    const recording = interceptWrites(
      () => true,
      (write) =>
        ((buffer: Uint8Array, offset?: number, length?: number) => {
          writes.push(length ?? buffer.byteLength);
          return write(buffer, offset, length);
        }) as FileHandle["write"],
    );
    const fileSystem: FileSystem = {
      ...recording,
      open: (path, flags, mode) => (opens.push(`${flags} ${path}`), recording.open(path, flags, mode)),
      rename: (from, to) => (opens.push(`rename ${to}`), nodeFileSystem.rename(from, to)),
    };
    const store = await openFsArtifactStore(root, { fileSystem });
    const bytes = patternBytes(1024 * 1024, 9);
    const { digest } = await store.putFile(await writeScratch(bytes));
    const shard = store.layout.shardDir(digest);
    const renamed = opens.indexOf(`rename ${store.layout.blobPath(digest)}`);
    expect(renamed).toBeGreaterThanOrEqual(0);
    expect(opens.slice(renamed)).toContain(`r ${shard}`);

    await store.getToFile(digest, join(outDir, "copy.bin"));
    expect(writes.length).toBeGreaterThanOrEqual((2 * bytes.byteLength) / CHUNK_BYTES);
    expect(Math.max(...writes)).toBeLessThanOrEqual(CHUNK_BYTES);
    expect(Buffer.from(bytes).equals(await readFile(join(outDir, "copy.bin")))).toBe(true);
  });
});

async function writeScratch(bytes: Uint8Array): Promise<string> {
  const path = join(await freshRoot(), "source.bin");
  await writeFile(path, bytes);
  return path;
}
