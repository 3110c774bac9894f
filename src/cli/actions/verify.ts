import { RunledgerError } from "../../core/errors.js";
import type { Digest } from "../../core/digest.js";
import { READ_MODEL_VERSION } from "../../ledger/read-models/read-model-version.js";
import { verifyReadModels } from "../../ledger/read-models/verify-read-models.js";
import { assertPrivateState } from "../../workspace/check-permissions.js";
import type { Workspace } from "../../workspace/workspace.js";
import type { CommandContext } from "../command-context.js";
import type { CommandResult } from "../../views/command-result.js";

type VerifyReport = CommandResult<"verify">["verify"];
type ChainReport = Omit<VerifyReport, "read_models">;
type ReadModelCheck = NonNullable<VerifyReport["read_models"]>;

/** Characters of a differing row's content a drift report quotes. */
const QUOTED = 160;

/**
 * `runledger verify`: the whole chain and every artifact, or exit 1 naming the first bad event or
 * blob; then the read models against a fresh derivation. The chain's verdict is printed before the
 * read models are compared, so a read model that differs never changes what verify says of the chain.
 */
export async function verifyCommand(ctx: CommandContext): Promise<void> {
  await ctx.withWorkspace(async (workspace) => {
    ctx.output.log("verify.start", { root: workspace.root });
    const chain = await verifyChain(workspace);
    ctx.output.say(
      `ledger intact: ${chain.events} events, head ${chain.head}\nartifacts intact: ${chain.artifacts} blobs verified, ${chain.referenced} referenced by the ledger`,
    );
    const readModels = await verifyStoredReadModels(workspace, chain);
    const summary: VerifyReport = readModels === undefined ? chain : { ...chain, read_models: readModels };
    ctx.output.log("verify.settle", summary);
    ctx.output.success(
      { verify: summary } satisfies CommandResult<"verify">,
      readModels === undefined
        ? "read models: none kept by this ledger"
        : `read models match: ${readModels.rows} rows derived from ${readModels.events} events (version ${readModels.version})`,
    );
  });
}

/** The chain, the artifacts and the state's permissions, then the read models: what `verify` checks. */
export async function verifyWorkspace(workspace: Workspace): Promise<VerifyReport> {
  const chain = await verifyChain(workspace);
  const readModels = await verifyStoredReadModels(workspace, chain);
  return readModels === undefined ? chain : { ...chain, read_models: readModels };
}

/** Checks the chain, re-hashes every stored blob, checks that every blob the ledger names exists, and that no other user can reach the state. */
export async function verifyChain(workspace: Workspace): Promise<ChainReport> {
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

/**
 * The stored read models compared row by row with a fresh derivation of the chain (undefined: the
 * ledger keeps none); ERR_READ_MODEL_DRIFT names the first differing row and says the chain is intact.
 */
async function verifyStoredReadModels(workspace: Workspace, chain: ChainReport): Promise<ReadModelCheck | undefined> {
  const report = await verifyReadModels(workspace.ledger);
  if (report === undefined) return undefined;
  const { difference } = report;
  // Equal rows include the version: the models were derived by this code.
  if (difference === undefined) return { version: READ_MODEL_VERSION, events: report.events, rows: report.rows };
  throw new RunledgerError("ERR_READ_MODEL_DRIFT", {
    detail:
      `${difference.table} row ${JSON.stringify(difference.key)}: expected ${quote(difference.expected)}, stored ${quote(difference.actual)} ` +
      `(the chain is intact: ${chain.events} events, head ${chain.head})`,
    context: { table: difference.table, key: difference.key, chain },
  });
}

function quote(value: string | null): string {
  if (value === null) return "no row";
  return JSON.stringify(value.length > QUOTED ? `${value.slice(0, QUOTED)}…` : value);
}
