import { adminEvent } from "../governance/admin-event.js";
import { assertTransition, LIFECYCLE_ACTIONS, lifecyclesFrom, type LifecycleAction, type OperatorStatus } from "../governance/operator-lifecycle.js";
import type { ReadDeps, RecordDeps } from "./deps.js";

/**
 * Moves an operator along its lifecycle (register, activate, deprecate, remove): ERR_LIFECYCLE
 * when the action may not start from its present status. Records the move as an admin event.
 */
export async function changeOperatorLifecycle(
  deps: RecordDeps & ReadDeps,
  input: { readonly ref: string; readonly action: LifecycleAction; readonly reason: string | undefined },
): Promise<{ ref: string; from: OperatorStatus | undefined; to: OperatorStatus }> {
  const { ref, action } = input;
  const models = await deps.readModels();
  const history = await models.adminEvents({ kinds: LIFECYCLE_ACTIONS });
  const from = lifecyclesFrom(history, await models.violations()).get(ref)?.status;
  const to = assertTransition(ref, from, action);
  await deps.ledger.append([
    adminEvent(deps.project, deps.actor, {
      action_type: action,
      reason: input.reason,
      targets: [{ kind: "operator", id: ref }],
      before: { status: from ?? null },
      after: { status: to },
      result: "applied",
    }),
  ]);
  return { ref, from, to };
}
