import { userInfo } from "node:os";
import { ActorSchema, type Actor } from "../contracts/common.js";
import { RunledgerError } from "../core/errors.js";

/**
 * Who is acting: `--actor kind:id` or RUNLEDGER_ACTOR, else the logged-in user as a human.
 */
export function resolveActor(flag: string | undefined, env: NodeJS.ProcessEnv): Actor {
  const spec = flag ?? env["RUNLEDGER_ACTOR"];
  if (spec === undefined || spec === "") return { kind: "human", id: currentUser() };
  const colon = spec.indexOf(":");
  const parsed = ActorSchema.safeParse(colon < 0 ? { kind: "human", id: spec } : { kind: spec.slice(0, colon), id: spec.slice(colon + 1) });
  if (!parsed.success) {
    throw new RunledgerError("ERR_USAGE", { detail: `--actor ${JSON.stringify(spec)}: expected kind:id with kind human, llm or service` });
  }
  return parsed.data;
}

function currentUser(): string {
  try {
    return userInfo().username || "unknown";
  } catch {
    return "unknown";
  }
}
