export type { ArtifactStoreFactory, ConformanceContext } from "./conformance-context.js";
export { expectRunledgerError } from "./expect-runledger-error.js";
export { patternBytes } from "./pattern-bytes.js";
export { runArtifactStoreConformance } from "./run-artifact-store-conformance.js";
