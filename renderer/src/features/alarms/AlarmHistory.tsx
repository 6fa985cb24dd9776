// The alarm history: every transition (raised, acknowledged, cleared, shelved, unshelved) with who
// and when, filtered by time range, severity, device, state and text, newest first.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AlarmHistoryEntry } from '../../../../shared/contract/alarm-calls.ts';
import { ALARM_SEVERITIES, ALARM_STATES, type AlarmSeverity, type AlarmState } from '../../../../shared/domain/alarms.ts';
import { callErrorMessage } from '../../app/call-error.ts';
import { formatDateTime } from '../../format/format-time.ts';
import { coreNow, useDevicesStore } from '../../store/index.ts';
import { Notice } from '../../ui/Notice.tsx';
import { callAlarms } from './alarm-api.ts';
import { useAlarmsStore } from './alarms-store.ts';
import { historyRange, HISTORY_RANGES, localInputValue, parseLocalInput, type HistoryRange } from './history-range.ts';
import { formatAlarmValue, SeverityPill } from './SeverityPill.tsx';

const LIMIT = 500;
const TEXT_SETTLE_MS = 300;

export function AlarmHistory() {
  const { t, i18n } = useTranslation();
  const language = i18n.language === 'en' ? 'en' : 'zh-CN';
  const devices = useDevicesStore((state) => state.devices);
  // A change in the active list (a new alarm, an acknowledgement) is news for the history too.
  const activeVersion = useAlarmsStore((state) => state.alarms);
  const [range, setRange] = useState<HistoryRange>('24h');
  const [customFrom, setCustomFrom] = useState(() => localInputValue(coreNow() - 86_400_000));
  const [customTo, setCustomTo] = useState(() => localInputValue(coreNow()));
  const [severity, setSeverity] = useState<AlarmSeverity | ''>('');
  const [deviceId, setDeviceId] = useState('');
  const [state, setState] = useState<AlarmState | ''>('');
  const [text, setText] = useState('');
  const [settledText, setSettledText] = useState('');
  const [answer, setAnswer] = useState<{ entries: AlarmHistoryEntry[]; truncated: boolean } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const request = useRef(0);

  useEffect(() => {
    const timer = setTimeout(() => setSettledText(text.trim()), TEXT_SETTLE_MS);
    return () => clearTimeout(timer);
  }, [text]);

  const span = useMemo(() => {
    if (range !== 'custom') return historyRange(range, coreNow());
    const from = parseLocalInput(customFrom);
    const to = parseLocalInput(customTo);
    return from !== null && to !== null && to > from ? { from, to } : null;
  }, [range, customFrom, customTo, activeVersion]);

  useEffect(() => {
    if (!span) return;
    const mine = ++request.current;
    const timer = setTimeout(async () => {
      try {
        const result = await callAlarms('alarms.history', {
          from: span.from,
          to: span.to,
          limit: LIMIT,
          ...(severity ? { severity } : {}),
          ...(deviceId ? { deviceId } : {}),
          ...(state ? { state } : {}),
          ...(settledText ? { text: settledText } : {}),
        });
        if (mine !== request.current) return;
        setAnswer(result);
        setProblem(null);
      } catch (error) {
        if (mine === request.current) setProblem(callErrorMessage(error, t('error.internal')));
      }
    }, 100);
    return () => clearTimeout(timer);
  }, [span?.from, span?.to, severity, deviceId, state, settledText]);

  return (
    <div className="alarms-history" data-testid="alarms-history">
      <div className="alarms-filters">
        <label className="field">
          <span className="field-label">{t('alarms.history.range')}</span>
          <select className="select" value={range} onChange={(event) => setRange(event.target.value as HistoryRange)} data-testid="history-range">
            {HISTORY_RANGES.map((name) => (
              <option key={name} value={name}>
                {t(`alarms.history.range.${name}`)}
              </option>
            ))}
          </select>
        </label>
        {range === 'custom' && (
          <>
            <label className="field">
              <span className="field-label">{t('trends.range.from')}</span>
              <input type="datetime-local" className="input" value={customFrom} onChange={(event) => setCustomFrom(event.target.value)} data-testid="history-from" />
            </label>
            <label className="field">
              <span className="field-label">{t('trends.range.to')}</span>
              <input type="datetime-local" className="input" value={customTo} onChange={(event) => setCustomTo(event.target.value)} data-testid="history-to" />
            </label>
          </>
        )}
        <label className="field">
          <span className="field-label">{t('alarms.column.severity')}</span>
          <select className="select" value={severity} onChange={(event) => setSeverity(event.target.value as AlarmSeverity | '')} data-testid="history-severity">
            <option value="">{t('alarms.history.any')}</option>
            {ALARM_SEVERITIES.map((name) => (
              <option key={name} value={name}>
                {t(`alarms.severity.${name}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('alarms.column.device')}</span>
          <select className="select" value={deviceId} onChange={(event) => setDeviceId(event.target.value)} data-testid="history-device">
            <option value="">{t('alarms.history.any')}</option>
            {devices.map((device) => (
              <option key={device.id} value={device.id}>
                {device.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('alarms.column.state')}</span>
          <select className="select" value={state} onChange={(event) => setState(event.target.value as AlarmState | '')} data-testid="history-state">
            <option value="">{t('alarms.history.any')}</option>
            {ALARM_STATES.map((name) => (
              <option key={name} value={name}>
                {t(`alarms.state.${name}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field alarms-filter-text">
          <span className="field-label">{t('alarms.history.text')}</span>
          <input className="input" type="search" value={text} onChange={(event) => setText(event.target.value)} placeholder={t('alarms.history.textHint')} data-testid="history-text" />
        </label>
      </div>
      {range === 'custom' && !span && <Notice tone="warn">{t('trends.range.invalid')}</Notice>}
      {problem && <Notice tone="bad">{problem}</Notice>}
      {answer && answer.entries.length === 0 ? (
        <p className="muted panel-empty" data-testid="history-empty">{t('alarms.history.none')}</p>
      ) : (
        answer && (
          <div className="alarms-table-wrap">
            <table className="data-table alarms-table" data-testid="history-table">
              <thead>
                <tr>
                  <th>{t('alarms.column.time')}</th>
                  <th>{t('alarms.column.event')}</th>
                  <th>{t('alarms.column.severity')}</th>
                  <th>{t('alarms.column.message')}</th>
                  <th className="alarms-col-value">{t('alarms.column.value')}</th>
                  <th>{t('alarms.column.by')}</th>
                </tr>
              </thead>
              <tbody>
                {answer.entries.map((entry) => (
                  <tr key={entry.id} data-testid={`history-${entry.ruleId}-${entry.event}`} data-event={entry.event}>
                    <td className="alarms-time">{formatDateTime(entry.ts, i18n.language)}</td>
                    <td>
                      <span className={`alarms-event alarms-event-${entry.event}`}>{t(`alarms.event.${entry.event}`)}</span>
                    </td>
                    <td>
                      <SeverityPill severity={entry.severity} />
                    </td>
                    <td className="alarms-message">
                      <span className="alarms-message-text">{entry.message[language]}</span>
                      {entry.comment && <span className="alarms-by">“{entry.comment}”</span>}
                    </td>
                    <td className="alarms-col-value mono">{formatAlarmValue(entry.value)}</td>
                    <td className="alarms-actor">{entry.actor === 'system' ? t('alarms.history.system') : entry.actor}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {answer.truncated && <p className="alarms-more muted">{t('alarms.history.truncated', { count: LIMIT })}</p>}
          </div>
        )
      )}
    </div>
  );
}
