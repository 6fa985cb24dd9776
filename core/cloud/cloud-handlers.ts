// The core's implementation of the activation and licence calls (shared/contract/licence-calls.ts):
// cloud.status, cloud.setUrl, cloud.activate, licences.list, licences.import. The sync calls are the
// sync engine's; cloud.status only reads its status.
import type { z } from 'zod';
import type { CloudStatus, licenceCalls, SyncStatus } from '../../shared/contract/licence-calls.ts';
import { AppError } from '../../shared/errors.ts';
import { translate, type Locale } from '../../shared/i18n/index.ts';
import type { CallContext } from '../contract/dispatcher.ts';
import type { Logger } from '../host.ts';
import type { LicenceStore } from './licence-store.ts';
import type { MachineIdentity } from './machine-identity.ts';

export type CloudCallName = 'cloud.status' | 'cloud.setUrl' | 'cloud.activate' | 'licences.list' | 'licences.import';
type LicenceCalls = typeof licenceCalls;

/** The handlers, typed from the calls alone, so they fit the dispatcher's `Handlers` once wired. */
export type CloudHandlers = {
  [Name in CloudCallName]: (input: z.output<LicenceCalls[Name]['input']>, context: CallContext) => Promise<z.output<LicenceCalls[Name]['output']>> | z.output<LicenceCalls[Name]['output']>;
};

export interface CloudHandlerDeps {
  identity: MachineIdentity;
  licences: LicenceStore;
  logger: Logger;
  /** The sync engine's status; before it is wired, idle once activated. */
  syncStatus?: (locale: Locale) => SyncStatus;
}

/** The sync status when no sync engine is wired. */
export function idleSyncStatus(activated: boolean): SyncStatus {
  return { state: activated ? 'idle' : 'notActivated', lastSyncAt: null, lastAttemptAt: null, nextTryAt: null, pending: { usage: 0, outcomes: 0 }, lastError: null, refused: [] };
}

export function createCloudHandlers(deps: CloudHandlerDeps): CloudHandlers {
  const { identity, licences, logger } = deps;
  const status = (locale: Locale): CloudStatus => {
    const view = identity.view();
    const sync = deps.syncStatus?.(locale) ?? idleSyncStatus(view.activated);
    return { ...view, clockWarning: licences.clockWarning(locale), sync };
  };
  return {
    'cloud.status': (_input, context) => status(context.locale),
    'cloud.setUrl': ({ url }, context) => {
      identity.setUrl(url);
      logger.info('the cloud address was set', { url });
      return status(context.locale);
    },
    'cloud.activate': async (input, context) => {
      await identity.activate(input);
      try {
        await licences.refresh(context.locale);
      } catch (error) {
        // Activated all the same: the licences come at the next sync.
        logger.warn('activated, but the first licence refresh failed', { error: error instanceof AppError ? translate('en', error.key, error.params) : String(error) });
      }
      return status(context.locale);
    },
    'licences.list': (_input, context) => ({ licences: licences.list(context.locale) }),
    'licences.import': ({ text }, context) => {
      licences.import(text, context.locale);
      return { licences: licences.list(context.locale) };
    },
  };
}
