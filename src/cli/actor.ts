import { userInfo } from "node:os";
import { ActorSchema, type Actor } from "../contracts/common.js";
import { RunledgerError } from "../core/errors.js";

/**
 * Parses `kind:id` (kind human, llm or service). `from` names where the spec came from (`--actor`,
 * `RUNLEDGER_ACTOR`, `actor`) for the refusal. A spec without a kind is refused rather than taken
 * as a human: `--actor bad` is far likelier a slip than a person named "bad".
 */
export function parseActorSpec(spec: string, from: string): Actor {
  const colon = spec.indexOf(":");
  const parsed = colon < 0 ? undefined : ActorSchema.safeParse({ kind: spec.slice(0, colon), id: spec.slice(colon + 1) });
  if (parsed?.success) return parsed.data;
  const why = colon < 0 ? "no kind" : (parsed?.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") ?? "");
  throw new RunledgerError("ERR_ACTOR_INVALID", { detail: `${from} ${JSON.stringify(spec)} (${why}): expected kind:id with kind human, llm or service` });
}

/**
 * Who is acting: `--actor kind:id` or RUNLEDGER_ACTOR, else the logged-in user as a human.
 */
export function resolveActor(flag: string | undefined, env: NodeJS.ProcessEnv): Actor {
  if (flag !== undefined) return parseActorSpec(flag, "--actor");
  const spec = env["RUNLEDGER_ACTOR"];
  if (spec === undefined || spec === "") return currentUser();
  return parseActorSpec(spec, "RUNLEDGER_ACTOR");
}

/** The logged-in user as a human; one whose name a terminal would act on is refused, like any actor. */
function currentUser(): Actor {
  let name = "unknown";
  try {
    name = userInfo().username || "unknown";
  } catch {
    // No passwd entry for this uid (a container, say): the user stays "unknown".
  }
  return parseActorSpec(`human:${name}`, "the logged-in user");
}
