// The active list: alarms waiting for acknowledgement first, worst first, in their colours; one or
// all acknowledged with a click; an alarm shelved for a while with a reason, or taken off the shelf.
// At most a few hundred rows are drawn (a burst of thousands must not freeze the window); the rest
// are counted.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AlarmView } from '../../../../shared/contract/alarm-calls.ts';
import { callErrorMessage } from '../../app/call-error.ts';
import { useNow } from '../../app/use-now.ts';
import { formatAgo, formatDateTime } from '../../format/format-time.ts';
import { Notice } from '../../ui/Notice.tsx';
import { callAlarms } from './alarm-api.ts';
import { isShelved, needsAcknowledgement } from './alarm-list.ts';
import { loadActiveAlarms, useAlarmsStore } from './alarms-store.ts';
import { notificationsSupported } from './desktop-notifications.ts';
import { formatAlarmValue, SeverityPill, StatePill } from './SeverityPill.tsx';
import { ShelveDialog } from './ShelveDialog.tsx';

/** Rows drawn at most; the list says how many more there are. */
const MAX_ROWS = 300;

export function ActiveAlarms() {
  const { t, i18n } = useTranslation();
  const language = i18n.language === 'en' ? 'en' : 'zh-CN';
  const alarms = useAlarmsStore((state) => state.alarms);
  const loaded = useAlarmsStore((state) => state.loaded);
  const now = useNow();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [shelving, setShelving] = useState<AlarmView | null>(null);
  const [permission, setPermission] = useState(() => (notificationsSupported() ? Notification.permission : 'denied'));
  const waiting = alarms.filter(needsAcknowledgement);
  const shown = alarms.slice(0, MAX_ROWS);

  const act = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setProblem(null);
    try {
      await work();
    } catch (error) {
      setProblem(callErrorMessage(error, t('error.internal')));
    } finally {
      setBusy(false);
      // The events bring the change too; reading again makes it certain after a refusal.
      void loadActiveAlarms();
    }
  };
  const acknowledge = (ids: number[]) => act(() => callAlarms('alarms.acknowledge', { ids }));
  const unshelve = (id: number) => act(() => callAlarms('alarms.unshelve', { id }));

  return (
    <div className="alarms-active" data-testid="alarms-active">
      <div className="alarms-toolbar">
        <span className="alarms-summary" data-testid="alarms-summary">
          {alarms.length === 0 ? t('alarms.active.none') : t('alarms.active.summary', { count: alarms.length, waiting: waiting.length })}
        </span>
        <span className="spacer" />
        {permission === 'default' && (
          <button type="button" className="btn btn-small" onClick={() => void Notification.requestPermission().then(setPermission)} data-testid="alarms-enable-notifications">
            {t('alarms.active.enableNotifications')}
          </button>
        )}
        <button
          type="button"
          className="btn btn-primary"
          disabled={busy || waiting.length === 0}
          onClick={() => void acknowledge(waiting.map((alarm) => alarm.id))}
          data-testid="alarms-ack-all"
        >
          {t('alarms.active.ackAll', { count: waiting.length })}
        </button>
      </div>
      {problem && <Notice tone="bad" testId="alarms-problem">{problem}</Notice>}
      {!loaded ? (
        <p className="muted panel-empty">{t('alarms.loading')}</p>
      ) : alarms.length === 0 ? (
        <div className="alarms-empty" data-testid="alarms-empty">
          <span className="alarms-empty-mark" aria-hidden="true">✓</span>
          {t('alarms.active.allClear')}
        </div>
      ) : (
        <div className="alarms-table-wrap">
          <table className="data-table alarms-table" data-testid="alarms-table">
            <thead>
              <tr>
                <th>{t('alarms.column.severity')}</th>
                <th>{t('alarms.column.raised')}</th>
                <th>{t('alarms.column.message')}</th>
                <th className="alarms-col-value">{t('alarms.column.value')}</th>
                <th>{t('alarms.column.state')}</th>
                <th className="alarms-col-actions">
                  <span className="visually-hidden">{t('alarms.column.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((alarm) => {
                const shelved = isShelved(alarm, now);
                return (
                  <tr
                    key={alarm.id}
                    className={`alarms-row severity-row-${alarm.severity}${needsAcknowledgement(alarm) ? ' is-unacknowledged' : ''}${shelved ? ' is-shelved' : ''}`}
                    data-testid={`alarm-${alarm.ruleId}`}
                    data-alarm-id={alarm.id}
                    data-state={alarm.state}
                  >
                    <td>
                      <SeverityPill severity={alarm.severity} />
                    </td>
                    <td className="alarms-time" title={formatDateTime(alarm.raisedAt, i18n.language)}>
                      {formatDateTime(alarm.raisedAt, i18n.language)}
                      <span className="alarms-ago">{formatAgo(alarm.raisedAt, now, i18n.language)}</span>
                    </td>
                    <td className="alarms-message">
                      <span className="alarms-message-text">{alarm.message[language]}</span>
                      {shelved && (
                        <span className="alarms-shelf" data-testid="alarm-shelf">
                          {t('alarms.active.shelvedUntil', { time: formatDateTime(alarm.shelvedUntil!, i18n.language), reason: alarm.shelveReason ?? '' })}
                        </span>
                      )}
                      {alarm.acknowledgedBy && (
                        <span className="alarms-by">{t('alarms.active.acknowledgedBy', { who: alarm.acknowledgedBy, time: formatDateTime(alarm.acknowledgedAt ?? alarm.raisedAt, i18n.language) })}</span>
                      )}
                    </td>
                    <td className="alarms-col-value mono">{formatAlarmValue(alarm.value)}</td>
                    <td>
                      <StatePill state={alarm.state} />
                    </td>
                    <td className="alarms-col-actions">
                      {needsAcknowledgement(alarm) && (
                        <button type="button" className="btn btn-small" disabled={busy} onClick={() => void acknowledge([alarm.id])} data-testid="alarm-ack">
                          {t('alarms.active.ack')}
                        </button>
                      )}
                      {alarm.shelvedUntil !== null ? (
                        <button type="button" className="btn btn-small btn-ghost" disabled={busy} onClick={() => void unshelve(alarm.id)} data-testid="alarm-unshelve">
                          {t('alarms.active.unshelve')}
                        </button>
                      ) : (
                        <button type="button" className="btn btn-small btn-ghost" disabled={busy} onClick={() => setShelving(alarm)} data-testid="alarm-shelve">
                          {t('alarms.active.shelve')}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {alarms.length > shown.length && <p className="alarms-more muted">{t('alarms.active.more', { count: alarms.length - shown.length })}</p>}
        </div>
      )}
      {shelving && <ShelveDialog alarm={shelving} onClose={() => setShelving(null)} />}
    </div>
  );
}
