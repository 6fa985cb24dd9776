// The sync with the PlantDesk cloud (issue 8 item 5): the outbox of the usage and outcome ledgers,
// batches with idempotency keys, back-off, refusals kept aside, and the sync.* calls.
export { MAX_RETRY_MS, MIN_RETRY_MS, parseRetryAfter, PERIODIC_SYNC_MS, retryDelay } from './backoff.ts';
export { SyncEngine, type SyncEngineOptions, type SyncTasks } from './sync-engine.ts';
export { createSyncHandlers, type SyncCallName, type SyncHandlerDeps, type SyncHandlers } from './sync-handlers.ts';
export { syncMigration } from './sync-schema.ts';
export { SyncStore } from './sync-store.ts';
