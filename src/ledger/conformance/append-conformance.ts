import { expect, it } from "vitest";
import { ERROR_CANON } from "../../core/errors.js";
import { GENESIS_HASH, hashEvent } from "../hash-chain.js";
import type { NewEvent } from "../ledger-event.js";
import type { LedgerSetup } from "./ledger-setup.js";
import { HUMAN_ACTOR, SERVICE_ACTOR, sampleRunEvents } from "./sample-events.js";

const fragment = (code: keyof typeof ERROR_CANON) => ERROR_CANON[code].fragment;

/** Appending: numbering, stamping, chaining, golden hashes, and refusing bad batches whole. */
export function appendConformance(setup: LedgerSetup): void {
  it("starts empty at the genesis hash and verifies", async () => {
    const { ledger } = await setup();
    expect(await ledger.head()).toEqual({ seq: 0, hash: GENESIS_HASH });
    expect(await ledger.verify()).toMatchObject({ ok: true, checked: 0 });
  });

  it("numbers, stamps and chains appended events, and reads them back", async () => {
    const { ledger } = await setup();
    const events = sampleRunEvents("r1");
    const stored = await ledger.append(events);
    expect(stored.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(stored[0]?.prev).toBe(GENESIS_HASH);
    for (let i = 1; i < stored.length; i++) expect(stored[i]?.prev).toBe(stored[i - 1]?.hash);
    const read = [];
    for await (const event of ledger.read()) read.push(event);
    expect(read).toEqual(stored);
    expect(read[0]).toMatchObject({ type: "run.requested", project: "default", actor: HUMAN_ACTOR, at: "2026-03-04T05:06:07.089Z" });
    expect(await ledger.head()).toEqual({ seq: stored.length, hash: stored.at(-1)?.hash });
  });

  it("hashes the same event to the same digest on every backend", async () => {
    const { ledger } = await setup();
    const event = await ledger.appendOne({ type: "run.started", project: "p1", actor: SERVICE_ACTOR, data: { run_id: "r" } });
    const body = '{"actor":{"id":"runledger-engine","kind":"service"},"at":"2026-03-04T05:06:07.089Z","data":{"run_id":"r"}}';
    expect(event.hash).toBe(hashEvent(1, GENESIS_HASH, "p1", "run.started", body));
    // Golden value: `printf 'runledger.event.v1\n1\n<genesis>\np1\nrun.started\n<body>' | sha256sum`.
    expect(event.hash).toBe("sha256:752e4b5b30ee668d514e6225e7c48b0008e3b640c17a99e79d424856fc603728");
  });

  it("rejects a batch with invalid events whole, listing every problem", async () => {
    const { ledger } = await setup();
    const bad = [
      { type: "run.started", project: "ok", actor: SERVICE_ACTOR, data: { run_id: "r" } },
      { type: "run.exploded", project: "ok", actor: SERVICE_ACTOR, data: {} },
      { type: "run.started", project: "bad project!", actor: { kind: "robot", id: "" }, data: { run_id: 7 } },
    ] as unknown as NewEvent[];
    const error = await ledger.append(bad).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "ERR_EVENT_INVALID" });
    expect((error as Error).message).toContain(fragment("ERR_EVENT_INVALID"));
    const paths = (error as { issues: { path: unknown[] }[] }).issues.map((i) => i.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["1.type", "2.project", "2.actor.kind", "2.actor.id", "2.data.run_id"]));
    expect(await ledger.head()).toEqual({ seq: 0, hash: GENESIS_HASH });
  });

  it("refuses values that have no canonical JSON", async () => {
    const { ledger } = await setup();
    const event = {
      type: "check.evaluated",
      project: "p",
      actor: SERVICE_ACTOR,
      data: { attempt_id: "a", name: "n", result: "PASS", evidence: { ratio: Number.NaN } },
    } as NewEvent;
    await expect(ledger.append([event])).rejects.toMatchObject({
      code: "ERR_CANONICAL_JSON",
      message: expect.stringContaining(fragment("ERR_CANONICAL_JSON")),
    });
    expect((await ledger.head()).seq).toBe(0);
  });
}
