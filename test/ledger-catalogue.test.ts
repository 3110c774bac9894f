import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { ActorSchema } from "../src/contracts/common.js";
import { EVENT_CATALOGUE } from "../src/ledger/events.js";

const keysOf = (schema: z.ZodType): string[] => Object.keys((schema as unknown as { shape: object }).shape);
const sorted = (keys: string[]) => [...keys].sort();

describe("event catalogue", () => {
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
});
