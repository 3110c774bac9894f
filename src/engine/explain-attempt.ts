import type { Receipt } from "../contracts/receipt.js";

/** One stable receipt field that differs between two attempts of the same task. */
export interface ReceiptChange {
  readonly field: string;
  readonly before: unknown;
  readonly after: unknown;
}

const STABLE_FIELDS = ["processor_ref", "code_digest", "env_fingerprint", "config_versions", "mode", "enforcement", "hash_schema"] as const;

/**
 * Why an attempt did not reuse an earlier one: the stable receipt fields that differ (seed 002 §4),
 * with the inputs compared one by one instead of as a single hash.
 */
export function diffReceipts(before: Receipt, after: Receipt): ReceiptChange[] {
  const changes: ReceiptChange[] = [];
  for (const field of STABLE_FIELDS) {
    if (JSON.stringify(before[field]) !== JSON.stringify(after[field])) changes.push({ field, before: before[field], after: after[field] });
  }
  if (before.inputs_hash !== after.inputs_hash) {
    const key = (i: { task: string; path: string }) => `${i.task}/${i.path}`;
    const old = new Map((before.inputs ?? []).map((i) => [key(i), i.digest]));
    const now = new Map((after.inputs ?? []).map((i) => [key(i), i.digest]));
    for (const name of new Set([...old.keys(), ...now.keys()])) {
      if (old.get(name) !== now.get(name)) changes.push({ field: `inputs.${name}`, before: old.get(name) ?? null, after: now.get(name) ?? null });
    }
    if (!changes.some((c) => c.field.startsWith("inputs."))) changes.push({ field: "params", before: before.inputs_hash, after: after.inputs_hash });
  }
  return changes;
}
