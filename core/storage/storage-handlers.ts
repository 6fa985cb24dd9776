// The core's implementation of the storage calls (shared/contract/storage-calls.ts).
import type { Handlers } from '../contract/dispatcher.ts';
import type { StorageService } from './storage-service.ts';

export type StorageCallName =
  | 'storage.status' | 'storage.backup' | 'storage.listBackups' | 'storage.configureBackups' | 'storage.restore' | 'storage.startEmpty';

export function createStorageHandlers(storage: StorageService): Pick<Handlers, StorageCallName> {
  return {
    'storage.status': (_input, { locale }) => storage.status(locale),
    'storage.backup': () => storage.backup(),
    'storage.listBackups': () => storage.listBackups(),
    'storage.configureBackups': (schedule) => storage.configureBackups(schedule),
    'storage.restore': async ({ file }, { locale }) => {
      await storage.restore(file);
      return storage.status(locale);
    },
    'storage.startEmpty': async (_input, { locale }) => {
      await storage.startEmpty();
      return storage.status(locale);
    },
  };
}
