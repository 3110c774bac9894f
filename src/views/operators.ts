import { OperatorTransitionSchema, type OperatorStatusName, type OperatorTransition, type OperatorView } from "../contracts/operator-view.js";
import { RunledgerError } from "../core/errors.js";
import { lifecyclesFrom } from "../governance/operator-lifecycle.js";
import type { AdminEventView, AttemptView, ViolationView } from "../ledger/projections/projection-state.js";

/** What the operator views read: the admin events and violations (their lifecycles) and the attempts (their use). */
export interface OperatorFacts {
  readonly adminEvents: readonly AdminEventView[];
  readonly violations: readonly ViolationView[];
  readonly attempts: readonly AttemptView[];
}

/** Every operator the ledger knows, by ref: its lifecycle (UNGOVERNED when no admin ever moved it), use and violations. */
export function operatorViews(facts: OperatorFacts): OperatorView[] {
  const lifecycles = lifecyclesFrom(facts.adminEvents, facts.violations);
  // One pass over the attempts: how often each operator ran, and when it last did.
  const use = new Map<string, { attempts: number; last: string }>();
  for (const a of facts.attempts) {
    if (a.operator_ref === null) continue;
    const seen = use.get(a.operator_ref);
    use.set(a.operator_ref, { attempts: (seen?.attempts ?? 0) + 1, last: seen && seen.last > a.created_at_utc ? seen.last : a.created_at_utc });
  }
  return [...new Set([...lifecycles.keys(), ...use.keys()])].sort().map((ref) => {
    const lifecycle = lifecycles.get(ref);
    return {
      ref,
      status: lifecycle?.status ?? "UNGOVERNED",
      attempts: use.get(ref)?.attempts ?? 0,
      last_used_utc: use.get(ref)?.last ?? null,
      violations: facts.violations
        .filter((v) => v.operator_ref === ref)
        .map((v) => ({ kind: v.kind, run_id: v.run_id, task: v.task, detail: v.detail, at_utc: v.at_utc })),
      history: lifecycle?.history ?? [],
    };
  });
}

/** One operator by ref; ERR_UNKNOWN_OPERATOR when the ledger does not know it. */
export function operatorView(facts: OperatorFacts, ref: string): OperatorView {
  const view = operatorViews(facts).find((v) => v.ref === ref);
  if (!view)
    throw new RunledgerError("ERR_UNKNOWN_OPERATOR", { detail: `${ref}: not in this workspace's ledger; \`runledger operator list\` shows the known ones` });
  return view;
}

/**
 * An operator's move as `operator register|activate|deprecate|remove` prints it. The lifecycle
 * types its target as any status; the contract names the four a verb can reach, so it is checked here.
 */
export function operatorTransition(ref: string, to: OperatorStatusName): OperatorTransition {
  return OperatorTransitionSchema.parse({ ref, status: to });
}
