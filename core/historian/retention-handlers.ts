// The core's implementation of the retention calls (shared/contract/historian-calls.ts): the
// Storage panel's figures, and saving how long each form of the history is kept. The settings live
// in the database; the historian's maintenance reads them before each sweep, so a change applies
// in the background without anything else being told (onChanged only hurries it).
import { AppError, type MessageKey, type PointKind, type RetentionPolicy, type RetentionSettings, type RetentionStatus } from '../../shared/index.ts';
import type { Handlers } from '../contract/dispatcher.ts';
import type { Logger } from '../host.ts';
import { Settings } from '../storage/settings.ts';
import type { StorageService } from '../storage/storage-service.ts';
import { retentionStatus } from './retention.ts';

export type RetentionCallName = 'historian.retention' | 'historian.configureRetention';

export interface RetentionHandlerDeps {
  /** The database of the moment (it changes on a restore), and whether it can be used. */
  storage: Pick<StorageService, 'db' | 'file' | 'state' | 'assertWritable' | 'problemError'>;
  logger: Logger;
  now?: () => number;
  /** Called after new settings are saved (to start a sweep now rather than at the next round). */
  onChanged?: (settings: RetentionSettings) => void;
}

const ORDER_ERRORS: Record<PointKind, MessageKey> = {
  analog: 'error.retentionOrder.analog',
  counter: 'error.retentionOrder.counter',
  state: 'error.retentionOrder.state',
};

const days = (value: number | null) => value ?? Number.POSITIVE_INFINITY;

/**
 * A coarser form kept for less time than a finer one would leave long charts with nothing to draw
 * (they read the coarser forms) while the finer one still fills the disk.
 */
function checkOrder(settings: RetentionSettings): void {
  for (const kind of Object.keys(ORDER_ERRORS) as PointKind[]) {
    const policy: RetentionPolicy = settings[kind];
    if (days(policy.rawDays) > days(policy.minuteDays) || days(policy.minuteDays) > days(policy.hourDays)) {
      throw new AppError('invalid_input', ORDER_ERRORS[kind], { details: { [kind]: policy } });
    }
  }
}

export function createRetentionHandlers(deps: RetentionHandlerDeps): Pick<Handlers, RetentionCallName> {
  const { storage, logger } = deps;
  const now = deps.now ?? Date.now;
  const status = (settings: Settings): RetentionStatus => retentionStatus(storage.db, storage.file, settings.retention, now());
  return {
    'historian.retention': () => {
      // The stand-in database holds no history: say what is wrong with the file instead of zeros.
      if (storage.state !== 'ok') throw storage.problemError();
      return status(new Settings(storage.db, logger));
    },
    'historian.configureRetention': (input) => {
      checkOrder(input);
      storage.assertWritable();
      const settings = new Settings(storage.db, logger);
      settings.retention = input;
      logger.info('history retention changed', { retention: input });
      deps.onChanged?.(input);
      return status(settings);
    },
  };
}
