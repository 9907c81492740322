// The credentials module: the Secret type, the store (environment → keychain →
// 0600 file) and the masked description the app and `jiraline auth show` print.
export { makeSecret, isSecret } from './secret.js';
export { createSecretStore } from './store.js';
export type { SecretStoreOptions, JiralineSecretStore, ClearResult } from './store.js';
export type { KeychainBackend } from './keychain.js';
export { describeCredentials, describeSource, maskSecret } from './describe.js';
export { credentialsFromEnv } from './env-source.js';
export { credentialsFilePath } from './file-store.js';
