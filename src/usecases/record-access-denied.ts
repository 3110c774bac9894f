import type { Actor } from "../contracts/common.js";
import { adminEvent } from "../governance/admin-event.js";
import type { NewEvent } from "../ledger/ledger-event.js";
import type { RecordDeps } from "./deps.js";

/** Records a refused request as an access_denied admin event: what was asked (`subject`, e.g. a command) and why it was refused. */
export async function recordAccessDenied(
  deps: Omit<RecordDeps, "actor">,
  input: { readonly actor: Actor; readonly subject: string; readonly why: string },
): Promise<NewEvent> {
  const event = adminEvent(deps.project, input.actor, {
    action_type: "access_denied",
    reason: input.why,
    targets: [{ kind: "command", id: input.subject }],
    result: "refused",
  });
  await deps.ledger.append([event]);
  return event;
}
