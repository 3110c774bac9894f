import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/**
 * A dependency loaded on its first use rather than at start-up. The CLI loads every command's
 * modules, and most commands parse no YAML, CSV, row expression or JSON Schema: loading those
 * parsers up front cost each start ~40–50 ms.
 */
export function lazyRequire<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(specifier) as T);
}
