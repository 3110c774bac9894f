import { digestOf, type Digest } from "../core/digest.js";
import type { CheckSpec } from "../checks/check-spec.js";
import type { OperatorDefinition } from "./operator-definition.js";

/** The version tag of what the code digest covers; bump it when the covered fields change. */
const CODE_DIGEST_SCHEMA = "runledger.operator-code.v1";

const cache = new WeakMap<OperatorDefinition, Digest>();

/**
 * The operator's code digest: sha256 over the canonical JSON of what decides its behaviour
 * (ref, kind, command, outputs, checks, env, configs, timeoutMs, retries, a manual operator's steps and performer) plus the source text of `run`,
 * `mock` and custom check functions, so editing any of them changes the digest. Values a function
 * captures from its closure are not covered; put those in params or env. Memoized per definition.
 */
export function operatorCodeDigest(op: OperatorDefinition): Digest {
  const known = cache.get(op);
  if (known !== undefined) return known;
  // Keys in sorted order: canonical JSON's fast path; the digest is the same either way.
  const digest = digestOf({
    by: op.by,
    checks: op.checks.map(checkForDigest),
    command: op.command,
    // Only when declared, so digests of operators without configs stay as they were.
    configs: op.configs,
    env: op.env,
    kind: op.kind,
    mock: op.mock?.toString(),
    mockCommand: op.mockCommand,
    outputs: op.outputs,
    ref: op.ref,
    retries: op.retries,
    run: op.run?.toString(),
    schema: CODE_DIGEST_SCHEMA,
    steps: op.steps,
    timeoutMs: op.timeoutMs,
  });
  if (Object.isFrozen(op)) cache.set(op, digest);
  return digest;
}

function checkForDigest(check: CheckSpec): unknown {
  if (!("custom" in check)) return check;
  return { custom: { name: check.custom.name, fn: check.custom.fn.toString() } };
}
