// The store's public face (contracts.md): the durable sql.js store and its lock-free reader.
export { openStore, databaseFileName, type Store, type StoreOptions } from './store.js';
export { openStoreSnapshot, type StoreReader } from './snapshot.js';
export { StoreLockedError, StoreCorruptError, StoreTooLargeError, StoreVersionError } from './errors.js';
export type { WriteStats } from './persist.js';
export { recoveryMessage, type JournalRecovery } from './journal-recovery.js';
