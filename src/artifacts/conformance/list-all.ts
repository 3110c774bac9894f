import type { ArtifactStore } from "../artifact-store.js";

/** Every digest the store lists, in its order. */
export async function listAll(store: ArtifactStore): Promise<string[]> {
  const digests: string[] = [];
  for await (const digest of store.list()) digests.push(digest);
  return digests;
}
