// The sync with the cloud: when it last worked, what waits to be sent, when it tries again, the last
// failure in plain words, batches the cloud refused for good — and "Sync now".
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { bridge } from '../../api/index.ts';
import { callErrorMessage } from '../../app/call-error.ts';
import { formatDateTime } from '../../format/format-time.ts';
import { Notice } from '../../ui/Notice.tsx';
import { keepSyncStatus, useCloudStore } from './cloud-store.ts';
import { SYNC_TONE } from './sync-tone.ts';

export function SyncSection() {
  const { t, i18n } = useTranslation();
  const sync = useCloudStore((state) => state.sync);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  if (!sync || sync.state === 'notActivated') return null;
  const when = (ts: number | null) => (ts === null ? t('store.sync.never') : formatDateTime(ts, i18n.language));
  async function syncNow(retryStream?: 'usage' | 'outcomes'): Promise<void> {
    setBusy(true);
    setProblem(null);
    try {
      keepSyncStatus(await (retryStream ? bridge.call('sync.retryRefused', { stream: retryStream }) : bridge.call('sync.now', {})));
    } catch (error) {
      setProblem(callErrorMessage(error, t('store.actionFailed')));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="cloud-section" data-testid="cloud-sync" data-state={sync.state}>
      <div className="cloud-section-head">
        <h4 className="cloud-subtitle">{t('store.sync.title')}</h4>
        <span className={`pill pill-${SYNC_TONE[sync.state]}`}>{t(`store.sync.state.${sync.state}`)}</span>
        <span className="spacer" />
        <button type="button" className="btn btn-primary" onClick={() => void syncNow()} disabled={busy || sync.state === 'syncing'} data-testid="cloud-sync-now">
          {(busy || sync.state === 'syncing') && <span className="spinner spinner-small" aria-hidden="true" />}
          {t('store.sync.now')}
        </button>
      </div>
      <dl className="cloud-facts">
        <dt>{t('store.sync.last')}</dt>
        <dd>{when(sync.lastSyncAt)}</dd>
        <dt>{t('store.sync.pending')}</dt>
        <dd>{t('store.sync.pendingCounts', { usage: sync.pending.usage, outcomes: sync.pending.outcomes })}</dd>
        {sync.nextTryAt !== null && (
          <>
            <dt>{t('store.sync.next')}</dt>
            <dd>{when(sync.nextTryAt)}</dd>
          </>
        )}
      </dl>
      {sync.lastError && <Notice tone="warn" testId="cloud-sync-error">{sync.lastError}</Notice>}
      {problem && <Notice tone="bad">{problem}</Notice>}
      {sync.refused.length > 0 && (
        <div data-testid="cloud-sync-refused">
          <p>{t('store.sync.refusedExplain')}</p>
          <table className="data-table">
            <thead>
              <tr>
                <th>{t('store.sync.refusedAt')}</th>
                <th>{t('store.sync.stream')}</th>
                <th>{t('store.sync.batch')}</th>
                <th>{t('store.sync.reason')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {sync.refused.map((batch) => (
                <tr key={`${batch.stream}-${batch.batchId}`}>
                  <td>{formatDateTime(batch.at, i18n.language)}</td>
                  <td>{t(`store.sync.stream.${batch.stream}`)}</td>
                  <td className="mono">{batch.batchId}</td>
                  <td>{batch.reason}</td>
                  <td>
                    <button type="button" className="btn" onClick={() => void syncNow(batch.stream)} disabled={busy || sync.state === 'syncing'} data-testid={`cloud-sync-retry-${batch.stream}`}>
                      {t('store.sync.retryRefused')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
