import { lifecyclesFrom } from "../governance/operator-lifecycle.js";
import type { ProjectionState } from "../ledger/projections/projection-state.js";

/** Every operator the ledger knows, by ref: its lifecycle (UNGOVERNED when no admin ever moved it), use and violations. */
export function operatorViews(state: ProjectionState) {
  const lifecycles = lifecyclesFrom(state.adminEvents, state.violations);
  // One pass over the attempts: how often each operator ran, and when it last did.
  const use = new Map<string, { attempts: number; last: string }>();
  for (const a of Object.values(state.attempts)) {
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
      violations: state.violations.filter((v) => v.operator_ref === ref).map((v) => ({ kind: v.kind, run_id: v.run_id, task: v.task, detail: v.detail, at_utc: v.at_utc })),
      history: lifecycle?.history ?? [],
    };
  });
}
