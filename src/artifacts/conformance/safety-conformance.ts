import { execFileSync } from "node:child_process";
import { symlink, truncate, writeFile } from "node:fs/promises";
import { expect, it } from "vitest";
import { sha256 } from "../../core/digest.js";
import type { ArtifactStore } from "../artifact-store.js";
import type { ConformanceContext } from "./conformance-context.js";
import { expectRunledgerError } from "./expect-runledger-error.js";
import { patternBytes } from "./pattern-bytes.js";

async function expectEmpty(store: ArtifactStore): Promise<void> {
  for await (const digest of store.list()) expect.unreachable(`nothing stored, found ${digest}`);
}

/** putFile stores regular files only, never through a link; `maxBytes` bounds every put. */
export function safetyConformance<S extends ArtifactStore>(context: ConformanceContext<S>): void {
  it("putFile refuses a symbolic link with ERR_OUTPUT_SYMLINK and stores nothing of its target", async () => {
    const store = context.store();
    const target = context.scratchPath("secret.txt");
    await writeFile(target, "not for the store\n");
    await symlink(target, context.scratchPath("link.txt"));
    await expectRunledgerError(() => store.putFile(context.scratchPath("link.txt")), "ERR_OUTPUT_SYMLINK");
    expect(await store.has(sha256("not for the store\n"))).toBe(false);
    await expectEmpty(store);
  });

  it("putFile refuses a fifo at once, without waiting for a writer", async () => {
    const store = context.store();
    const fifo = context.scratchPath("pipe");
    execFileSync("mkfifo", [fifo]);
    const error = await expectRunledgerError(() => store.putFile(fifo), "ERR_STORAGE");
    expect(error.context).toMatchObject({ errno: "EINVAL" });
    await expectEmpty(store);
  }, 5_000);

  it("maxBytes refuses bytes, a stream and a file over it with ERR_OUTPUT_TOO_LARGE, storing nothing", async () => {
    const store = context.store();
    await expectRunledgerError(() => store.put(patternBytes(101, 1), { maxBytes: 100 }), "ERR_OUTPUT_TOO_LARGE");
    const chunks = [patternBytes(70_000, 2), patternBytes(70_000, 3)];
    await expectRunledgerError(() => store.putStream(chunks, { maxBytes: 100_000 }), "ERR_OUTPUT_TOO_LARGE");
    const small = context.scratchPath("small.bin");
    await writeFile(small, patternBytes(1000, 4));
    await expectRunledgerError(() => store.putFile(small, { maxBytes: 999 }), "ERR_OUTPUT_TOO_LARGE");
    await expectEmpty(store);
    expect((await store.putFile(small, { maxBytes: 1000 })).size_bytes).toBe(1000);
  });

  it("maxBytes refuses a sparse file by its size, before reading it", async () => {
    const store = context.store();
    const sparse = context.scratchPath("sparse.bin");
    await writeFile(sparse, "");
    await truncate(sparse, 8 * 1024 ** 3);
    const started = Date.now();
    const error = await expectRunledgerError(() => store.putFile(sparse, { maxBytes: 1024 ** 2 }), "ERR_OUTPUT_TOO_LARGE");
    expect(error.context).toMatchObject({ size_bytes: 8 * 1024 ** 3, limit_bytes: 1024 ** 2 });
    // Reading and hashing 8 GiB takes tens of seconds.
    expect(Date.now() - started).toBeLessThan(2_000);
    await expectEmpty(store);
  });
}
