import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/**
 * A dependency loaded on its first use rather than with the module that names it. Every run loads
 * the checks and the pipeline loaders, and most runs parse no YAML (a TypeScript pipeline), CSV,
 * row expression or JSON Schema; loading those parsers up front cost each start ~40–50 ms.
 */
export function lazyRequire<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(specifier) as T);
}
