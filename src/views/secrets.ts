import type { SecretInfo, SecretStore } from "../secrets/secret-store.js";

/** The stored secrets: name, version, when and by whom set; never values. */
export function secretsView(store: Pick<SecretStore, "list">): Promise<SecretInfo[]> {
  return store.list();
}
