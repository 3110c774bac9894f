import type { Digest } from "../../core/digest.js";
import type { ArtifactStore } from "../artifact-store.js";

/** How the conformance suite obtains and damages stores of one backend. */
export interface ArtifactStoreFactory<S extends ArtifactStore = ArtifactStore> {
  /** A new, empty store; called before every test, and closed after it. */
  create(): Promise<S>;
  /**
   * Flips bytes of the stored, non-empty blob `digest` in place, keeping its size, the way disk
   * rot or a tampering hand would: a backend-specific hook, since the port cannot write a blob.
   */
  corrupt(store: S, digest: Digest): Promise<void>;
  /** Called once after the whole suite, e.g. to remove what create() made. */
  cleanup?(): Promise<void>;
}

/** What each group of conformance cases gets: the factory, the current store, a scratch directory. */
export interface ConformanceContext<S extends ArtifactStore = ArtifactStore> {
  readonly factory: ArtifactStoreFactory<S>;
  /** The store created for the running test. */
  store(): S;
  /** An absolute path inside a local directory that is fresh for the running test. */
  scratchPath(...segments: string[]): string;
}
