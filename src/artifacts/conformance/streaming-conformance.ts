import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { expect, it } from "vitest";
import { sha256 } from "../../core/digest.js";
import type { ArtifactStore } from "../artifact-store.js";
import type { ConformanceContext } from "./conformance-context.js";
import { expectRunledgerError } from "./expect-runledger-error.js";
import { patternBytes } from "./pattern-bytes.js";

const FIVE_MIB = 5 * 1024 * 1024;

/** putFile and getToFile: large files, nested and existing destinations, missing sources. */
export function streamingConformance<S extends ArtifactStore>(context: ConformanceContext<S>): void {
  it("streams a 5 MiB file in with putFile and out with getToFile", async () => {
    const store = context.store();
    const bytes = patternBytes(FIVE_MIB, 5);
    const source = context.scratchPath("in", "big.bin");
    await mkdir(dirname(source), { recursive: true });
    await writeFile(source, bytes);

    const stored = await store.putFile(source, { mediaType: "application/octet-stream" });
    expect(stored.digest).toBe(sha256(bytes));
    expect(stored.size_bytes).toBe(FIVE_MIB);
    expect(stored.media_type).toBe("application/octet-stream");
    expect(await store.stat(stored.digest)).toStrictEqual({ size_bytes: FIVE_MIB });

    const dest = context.scratchPath("out", "nested", "big.bin");
    await store.getToFile(stored.digest, dest);
    expect(Buffer.from(bytes).equals(await readFile(dest))).toBe(true);
    expect(await readdir(dirname(dest))).toStrictEqual(["big.bin"]);
  }, 30_000);

  it("getToFile replaces an existing destination file", async () => {
    const store = context.store();
    const stored = await store.put("new content");
    const dest = context.scratchPath("existing.txt");
    await writeFile(dest, "old content that is longer");
    await store.getToFile(stored.digest, dest);
    expect(await readFile(dest, "utf8")).toBe("new content");
  });

  it("getToFile of an unknown digest creates no destination", async () => {
    const dest = context.scratchPath("missing", "never.bin");
    await expectRunledgerError(() => context.store().getToFile(sha256("absent"), dest), "ERR_ARTIFACT_NOT_FOUND");
    await expect(readFile(dest)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("putFile of a missing source fails with ERR_STORAGE carrying ENOENT", async () => {
    const store = context.store();
    const error = await expectRunledgerError(() => store.putFile(context.scratchPath("no-such-file")), "ERR_STORAGE");
    expect(error.context).toMatchObject({ errno: "ENOENT" });
    for await (const digest of store.list()) expect.unreachable(`nothing stored, found ${digest}`);
  });
}
