import { RunledgerError } from "../../core/errors.js";
import type { Digest } from "../../core/digest.js";
import { assertPrivateState } from "../../workspace/check-permissions.js";
import type { Workspace } from "../../workspace/workspace.js";
import type { CommandContext } from "../command-context.js";
import type { CommandResult } from "../../views/command-result.js";

/** `runledger verify`: the whole chain and every artifact, or exit 1 naming the first bad event or blob. */
export async function verifyCommand(ctx: CommandContext): Promise<void> {
  await ctx.withWorkspace(async (workspace) => {
    ctx.output.log("verify.start", { root: workspace.root });
    const summary = await verifyWorkspace(workspace);
    ctx.output.log("verify.settle", summary);
    ctx.output.success(
      { verify: summary } satisfies CommandResult<"verify">,
      `ledger intact: ${summary.events} events, head ${summary.head}\nartifacts intact: ${summary.artifacts} blobs verified, ${summary.referenced} referenced by the ledger`,
    );
  });
}

/** Checks the chain, re-hashes every stored blob, checks that every blob the ledger names exists, and that no other user can reach the state. */
export async function verifyWorkspace(workspace: Workspace): Promise<{ events: number; head: string; artifacts: number; referenced: number }> {
  const report = await workspace.ledger.assertIntact();
  const blobs = await workspace.artifacts.verifyAll();
  const firstCorrupt = blobs.corrupt[0];
  if (firstCorrupt) {
    throw new RunledgerError("ERR_ARTIFACT_CORRUPT", {
      detail: `${firstCorrupt} (${blobs.corrupt.length} corrupt)`,
      context: { digest: firstCorrupt, corrupt: blobs.corrupt },
    });
  }
  const referenced = new Set<Digest>();
  for await (const event of workspace.ledger.read({ types: ["artifact.stored"] })) {
    if (event.type === "artifact.stored") referenced.add(event.data.digest as Digest);
  }
  for (const digest of referenced) {
    if (!(await workspace.artifacts.has(digest))) {
      throw new RunledgerError("ERR_ARTIFACT_MISSING", { detail: `${digest}, recorded by the ledger`, context: { digest } });
    }
  }
  // Last: a broken chain or a corrupt blob is the graver finding.
  assertPrivateState(workspace.root, workspace.config);
  return { events: report.checked, head: report.head.hash, artifacts: blobs.checked, referenced: referenced.size };
}
