// The colour each sync state is shown in, in Settings and in the header.
import type { SyncStatus } from '../../../../shared/contract/licence-calls.ts';

export const SYNC_TONE: Record<SyncStatus['state'], 'good' | 'warn' | 'bad' | 'off'> = {
  notActivated: 'off',
  idle: 'good',
  syncing: 'good',
  waiting: 'warn',
  refused: 'bad',
};
