import type { SecretListOutput } from "../contracts/secret-info.js";
import type { SecretStore } from "../secrets/secret-store.js";

/** The stored secrets: name, version, when and by whom set; never values. */
export function secretsView(store: Pick<SecretStore, "list">): Promise<SecretListOutput["secrets"]> {
  return store.list();
}
