import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe } from "vitest";
import type { ArtifactStore } from "../artifact-store.js";
import { concurrencyConformance } from "./concurrency-conformance.js";
import type { ArtifactStoreFactory, ConformanceContext } from "./conformance-context.js";
import { integrityConformance } from "./integrity-conformance.js";
import { lookupConformance } from "./lookup-conformance.js";
import { lookupErrorConformance } from "./lookup-error-conformance.js";
import { roundTripConformance } from "./round-trip-conformance.js";
import { safetyConformance } from "./safety-conformance.js";
import { sourceConformance } from "./source-conformance.js";
import { streamingConformance } from "./streaming-conformance.js";

/**
 * Registers the vitest suite every ArtifactStore backend must pass, under
 * `ArtifactStore conformance: <name>`. Each test gets a fresh store from `factory.create()`
 * (closed afterwards) and a fresh local scratch directory; `factory.cleanup()` runs at the end.
 * Call it at the top level of a test file.
 */
export function runArtifactStoreConformance<S extends ArtifactStore>(name: string, factory: ArtifactStoreFactory<S>): void {
  describe(`ArtifactStore conformance: ${name}`, () => {
    let scratchRoot: string | undefined;
    let scratch: string | undefined;
    let current: S | undefined;
    let testCount = 0;

    beforeAll(async () => {
      scratchRoot = await mkdtemp(join(tmpdir(), "runledger-artifact-conformance-"));
    });
    beforeEach(async () => {
      testCount += 1;
      scratch = join(required(scratchRoot, "scratch root"), String(testCount));
      await mkdir(scratch);
      current = await factory.create();
    });
    afterEach(async () => {
      await current?.close();
      current = undefined;
    });
    afterAll(async () => {
      if (scratchRoot !== undefined) await rm(scratchRoot, { recursive: true, force: true });
      await factory.cleanup?.();
    });

    const context: ConformanceContext<S> = {
      factory,
      store: () => required(current, "store"),
      scratchPath: (...segments) => join(required(scratch, "scratch directory"), ...segments),
    };
    describe("put and get", () => roundTripConformance(context));
    describe("put from iterables and streams", () => sourceConformance(context));
    describe("lookups", () => lookupConformance(context));
    describe("lookup errors", () => lookupErrorConformance(context));
    describe("streaming", () => streamingConformance(context));
    describe("integrity", () => integrityConformance(context));
    describe("concurrency", () => concurrencyConformance(context));
    describe("links, special files and size limits", () => safetyConformance(context));
  });
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`conformance ${what} used outside a running test`);
  return value;
}
