import canonicalize from "canonicalize";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { ActorSchema } from "../src/contracts/common.js";
import { EVENT_CATALOGUE, EVENT_TYPES, STRINGIFY_IS_CANONICAL } from "../src/ledger/events.js";
import { REDUCER_FAMILIES } from "../src/ledger/projections/apply-event.js";
import { Ledger } from "../src/ledger/ledger.js";
import { SqliteLedgerStore } from "../src/ledger/sqlite/sqlite-ledger-store.js";

const keysOf = (schema: z.ZodType): string[] => Object.keys((schema as unknown as { shape: object }).shape);
const sorted = (keys: string[]) => [...keys].sort();

describe("event catalogue", () => {
  it("folds each event type in exactly one reducer family", () => {
    const listed = REDUCER_FAMILIES.flatMap((family) => Object.keys(family));
    expect(listed.filter((type, i) => listed.indexOf(type) !== i)).toEqual([]);
    expect([...listed].sort()).toEqual([...EVENT_TYPES].sort());
  });
  it("names every event namespaced and past tense", () => {
    for (const type of Object.keys(EVENT_CATALOGUE)) expect(type).toMatch(/^[a-z]+\.[a-z_]+(ed|ized|ied)$/);
  });

  it("declares payload and actor keys in sorted order, so bodies serialize by the fast path", () => {
    for (const [type, schema] of Object.entries(EVENT_CATALOGUE)) expect([type, keysOf(schema)]).toEqual([type, sorted(keysOf(schema))]);
    expect(keysOf(ActorSchema)).toEqual(sorted(keysOf(ActorSchema)));
  });

  it("zod output follows the declared order, whatever the input order", () => {
    const parsed = EVENT_CATALOGUE["task.skipped"].parse({ task: "t", run_id: "r", reason: "x" });
    expect(Object.keys(parsed)).toEqual(["reason", "run_id", "task"]);
  });

  it("takes JSON.stringify as canonical only for payloads whose key order the schema fixes", () => {
    expect(STRINGIFY_IS_CANONICAL.has("attempt.started")).toBe(true);
    expect(STRINGIFY_IS_CANONICAL.has("attempt.succeeded")).toBe(true);
    // Free-form JSON (before/after, evidence) and records (params) can come in any key order.
    for (const type of ["admin.recorded", "run.requested", "check.evaluated", "debug.opened"] as const) expect(STRINGIFY_IS_CANONICAL.has(type)).toBe(false);
  });

  it("writes fast-path bodies byte-equal to the reference canonicalizer, and refuses a lone surrogate", async () => {
    const store = new SqliteLedgerStore(":memory:");
    const ledger = new Ledger(store, { clock: { now: () => new Date("2026-01-02T03:04:05.000Z") } });
    const actor = { kind: "human", id: "ana \u{1F600}" } as const;
    const data = { task: "t\u00e9\u{1F600}\\ud800", run_id: "r", attempt_number: 2, operator_ref: "op@1", job_id: "j", attempt_id: "a" };
    await ledger.append([{ type: "attempt.started", project: "p", actor, data }]);
    const [row] = await store.scan({ afterSeq: 0, limit: 10 });
    expect(row?.body).toBe(canonicalize({ actor, at: "2026-01-02T03:04:05.000Z", data }));
    await expect(ledger.append([{ type: "attempt.started", project: "p", actor, data: { ...data, task: "lone \ud800 surrogate" } }])).rejects.toMatchObject({
      code: "ERR_CANONICAL_JSON",
    });
    expect((await ledger.head()).seq).toBe(1);
    await ledger.close();
  });
});
