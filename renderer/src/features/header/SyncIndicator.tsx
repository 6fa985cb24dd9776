// The sync with the PlantDesk cloud in a word beside the live link: synced, syncing, waiting (with
// the next try) or refused. Hidden until this PC is activated. It opens Settings → Cloud and licences.
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../format/format-time.ts';
import { openCloudSettings, SYNC_TONE, useCloudStore } from '../cloud-settings/index.ts';

/** "14:05": when the next try is, to the minute. */
function formatHourMinute(ts: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ts);
}

export function SyncIndicator() {
  const { t, i18n } = useTranslation();
  const sync = useCloudStore((state) => state.sync);
  if (!sync || sync.state === 'notActivated') return null;
  const title = [
    t('store.sync.title'),
    sync.lastSyncAt !== null ? `${t('store.sync.last')}: ${formatDateTime(sync.lastSyncAt, i18n.language)}` : null,
    sync.state === 'waiting' && sync.nextTryAt !== null ? `${t('store.sync.next')}: ${formatDateTime(sync.nextTryAt, i18n.language)}` : null,
    sync.lastError,
  ]
    .filter(Boolean)
    .join('\n');
  return (
    <button type="button" className={`sync-indicator sync-${SYNC_TONE[sync.state]}`} onClick={openCloudSettings} title={title} data-testid="sync-indicator" data-state={sync.state}>
      {sync.state === 'syncing' ? <span className="spinner spinner-small" aria-hidden="true" /> : <span className="sync-dot" aria-hidden="true" />}
      <span className="sync-word">
        {sync.state === 'waiting' && sync.nextTryAt !== null
          ? t('store.sync.header.waitingUntil', { time: formatHourMinute(sync.nextTryAt, i18n.language) })
          : t(`store.sync.header.${sync.state}`)}
      </span>
    </button>
  );
}
