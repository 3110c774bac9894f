import { RunledgerError } from "../core/errors.js";
import type { AdminEventView } from "../ledger/projections/projection-state.js";

/** Seed 001 §8.3's lifecycle, plus QUARANTINED: where a violation puts an operator until reviewed. */
export const OPERATOR_STATUSES = ["REGISTERED", "ACTIVE", "DEPRECATED", "REMOVED", "QUARANTINED"] as const;
export type OperatorStatus = (typeof OPERATOR_STATUSES)[number];

/** The admin actions that move an operator, and the statuses each may start from (undefined: never registered). */
const TRANSITIONS = {
  operator_register: { to: "REGISTERED", from: [undefined] },
  operator_activate: { to: "ACTIVE", from: ["REGISTERED", "DEPRECATED", "QUARANTINED"] },
  operator_deprecate: { to: "DEPRECATED", from: ["ACTIVE"] },
  operator_remove: { to: "REMOVED", from: ["REGISTERED", "ACTIVE", "DEPRECATED", "QUARANTINED"] },
} as const satisfies Record<string, { to: OperatorStatus; from: readonly (OperatorStatus | undefined)[] }>;
export type LifecycleAction = keyof typeof TRANSITIONS;

/** The admin actions that move an operator along its lifecycle: the admin events lifecyclesFrom folds. */
export const LIFECYCLE_ACTIONS = Object.keys(TRANSITIONS) as readonly LifecycleAction[];

/** Violations after which a quarantined operator is removed for good (seed 001 §8.4: repeated violations). */
export const VIOLATIONS_BEFORE_REMOVAL = 3;

/** One operator's governed state: its status and how it got there. */
export interface OperatorLifecycle {
  readonly ref: string;
  status: OperatorStatus;
  readonly history: { status: OperatorStatus; at_utc: string; by: string; reason: string }[];
  violations: number;
}

/** A violation an operator committed (an undeclared effect, output or secret), as the engine records it. */
export interface ViolationFact {
  readonly operator_ref: string;
  readonly kind: string;
  readonly seq: number;
  readonly at_utc: string;
  readonly detail: string;
}

/**
 * Folds applied operator_* admin events and recorded violations, in ledger order, into each
 * governed operator's lifecycle. A violation quarantines the operator; the third removes it.
 */
export function lifecyclesFrom(adminEvents: readonly AdminEventView[], violations: readonly ViolationFact[] = []): Map<string, OperatorLifecycle> {
  const facts = [
    ...adminEvents.filter((e) => e.result === "applied" && e.action_type in TRANSITIONS).map((e) => ({ seq: e.seq, admin: e })),
    ...violations.map((v) => ({ seq: v.seq, violation: v })),
  ].sort((a, b) => a.seq - b.seq);
  const out = new Map<string, OperatorLifecycle>();
  for (const fact of facts) {
    if ("admin" in fact && fact.admin) {
      const e = fact.admin;
      const to = TRANSITIONS[e.action_type as LifecycleAction].to;
      for (const t of e.targets.filter((t) => t.kind === "operator")) {
        const entry = out.get(t.id) ?? { ref: t.id, status: to, history: [], violations: 0 };
        entry.status = to;
        entry.history.push({ status: to, at_utc: e.observed_at_utc, by: `${e.actor.kind}:${e.actor.id}`, reason: e.reason });
        out.set(t.id, entry);
      }
    } else if ("violation" in fact && fact.violation) {
      const v = fact.violation;
      const entry = out.get(v.operator_ref) ?? { ref: v.operator_ref, status: "ACTIVE" as OperatorStatus, history: [], violations: 0 };
      entry.violations++;
      if (entry.status === "REMOVED") continue;
      entry.status = entry.violations >= VIOLATIONS_BEFORE_REMOVAL ? "REMOVED" : "QUARANTINED";
      entry.history.push({ status: entry.status, at_utc: v.at_utc, by: "service:runledger", reason: `violation ${v.kind}: ${v.detail}` });
      out.set(v.operator_ref, entry);
    }
  }
  return out;
}

/** Throws ERR_LIFECYCLE unless `action` may move an operator from `current` (undefined: not governed yet). */
export function assertTransition(ref: string, current: OperatorStatus | undefined, action: LifecycleAction): OperatorStatus {
  const rule = TRANSITIONS[action];
  if (!(rule.from as readonly (OperatorStatus | undefined)[]).includes(current)) {
    const from = current ?? "unregistered";
    throw new RunledgerError("ERR_LIFECYCLE", {
      detail: `${ref} is ${from}; ${action.replace("operator_", "")} needs it ${rule.from.map((s) => s ?? "unregistered").join(" or ")}`,
    });
  }
  return rule.to;
}

/**
 * Whether an operator may run: ungoverned and ACTIVE ones run; DEPRECATED ones run with a warning
 * (returned); REGISTERED (not yet activated), QUARANTINED and REMOVED ones fail ERR_OPERATOR_INACTIVE.
 */
export function admitOperator(ref: string, lifecycles: ReadonlyMap<string, OperatorLifecycle>): string | undefined {
  const entry = lifecycles.get(ref);
  if (!entry || entry.status === "ACTIVE") return undefined;
  if (entry.status === "DEPRECATED") return `operator ${ref} is DEPRECATED and will be removed; move to its successor`;
  const last = entry.history.at(-1);
  throw new RunledgerError("ERR_OPERATOR_INACTIVE", { detail: `${ref} is ${entry.status}${last ? ` since ${last.at_utc} (${last.reason})` : ""}` });
}
