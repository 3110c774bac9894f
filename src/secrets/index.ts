export { REDACTED, createRedactor, type Redactor, type RedactingStream } from "./redact.js";
export { redactFile } from "./redact-file.js";
export { SECRET_NAME, parseSecretName } from "./secret-name.js";
export { secretsFromRecord, type SecretSource } from "./secret-source.js";
export { SecretStore, workspaceSecretStore, type SecretInfo, type StagedSecret } from "./secret-store.js";
export { SecretMask } from "./secret-mask.js";
export { assertSecretsSet, attemptSecrets, NO_SECRETS, type AttemptSecrets, type SecretAccessor } from "./attempt-secrets.js";
