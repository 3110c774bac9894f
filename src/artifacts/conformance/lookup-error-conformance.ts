import { expect, it } from "vitest";
import { sha256 } from "../../core/digest.js";
import type { ArtifactStore } from "../artifact-store.js";
import type { ConformanceContext } from "./conformance-context.js";
import { expectRunledgerError } from "./expect-runledger-error.js";

const INVALID_DIGESTS = ["", "sha256:", `sha256:${"A".repeat(64)}`, `sha256:${"0".repeat(63)}`, `md5:${"0".repeat(32)}`, "0".repeat(64)];

/** The errors of lookups: an unknown digest, a malformed one, a closed store. */
export function lookupErrorConformance<S extends ArtifactStore>(context: ConformanceContext<S>): void {
  it("rejects reads of an unknown digest with ERR_ARTIFACT_NOT_FOUND", async () => {
    const store = context.store();
    const absent = sha256("absent");
    const error = await expectRunledgerError(() => store.get(absent), "ERR_ARTIFACT_NOT_FOUND");
    expect(error.context).toMatchObject({ digest: absent });
    await expectRunledgerError(() => store.verify(absent), "ERR_ARTIFACT_NOT_FOUND");
    await expectRunledgerError(() => store.getToFile(absent, context.scratchPath("absent.bin")), "ERR_ARTIFACT_NOT_FOUND");
  });

  it("rejects malformed digests with ERR_DIGEST_INVALID", async () => {
    const store = context.store();
    for (const digest of INVALID_DIGESTS) {
      await expectRunledgerError(() => store.get(digest), "ERR_DIGEST_INVALID");
      await expectRunledgerError(() => store.has(digest), "ERR_DIGEST_INVALID");
      await expectRunledgerError(() => store.stat(digest), "ERR_DIGEST_INVALID");
      await expectRunledgerError(() => store.verify(digest), "ERR_DIGEST_INVALID");
      await expectRunledgerError(() => store.localPath(digest), "ERR_DIGEST_INVALID");
      await expectRunledgerError(() => store.getToFile(digest, context.scratchPath("x")), "ERR_DIGEST_INVALID");
    }
  });

  it("fails every operation with ERR_STORAGE once closed", async () => {
    const store = context.store();
    const stored = await store.put("before close");
    await store.close();
    await store.close();
    await expectRunledgerError(() => store.put("after close"), "ERR_STORAGE");
    await expectRunledgerError(() => store.get(stored.digest), "ERR_STORAGE");
    await expectRunledgerError(() => store.has(stored.digest), "ERR_STORAGE");
    await expectRunledgerError(async () => {
      for await (const digest of store.list()) expect(digest).toBeUndefined();
    }, "ERR_STORAGE");
  });
}
