// The alarms active now, worst and newest first, from the alarm service (`alarms.active`, read again
// when `alarms.changed` says so and every few seconds). A core without alarms says "No alarm service"
// instead of an error. Written against shared/contract/alarm-calls.ts, read defensively.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WidgetOf } from '../../../../shared/domain/dashboards.ts';
import type { Locale } from '../../../../shared/i18n/index.ts';
import { bridge } from '../../api/index.ts';
import { formatClock } from '../../format/format-time.ts';
import { alarmRows, SEVERITY_TONE, type AlarmRow } from './alarm-rows.ts';
import { callOptional, type OptionalResult } from './optional-call.ts';
import { RefreshScheduler } from './refresh-scheduler.ts';
import { WidgetMessage } from './WidgetMessage.tsx';

export const ALARMS_CALL = 'alarms.active';
const ALARMS_CHANGED_EVENT = 'alarms.changed';

export function AlarmList({ widget }: { widget: WidgetOf<'alarmList'> }) {
  const { t, i18n } = useTranslation();
  const locale: Locale = i18n.language === 'en' ? 'en' : 'zh-CN';
  const [result, setResult] = useState<OptionalResult<AlarmRow[]> | null>(null);

  useEffect(() => {
    let active = true;
    const scheduler = new RefreshScheduler(
      async () => {
        const answer = await callOptional(ALARMS_CALL, {});
        if (!active) return;
        setResult(answer.kind === 'ok' ? { kind: 'ok', value: alarmRows(answer.value) } : answer);
      },
      { minIntervalMs: 1000, maxIntervalMs: 10_000 },
    );
    scheduler.start();
    // The alarm service's event, when this core has it: read the list again right away.
    const on = bridge.on as unknown as (event: string, listener: () => void) => () => void;
    const stop = on(ALARMS_CHANGED_EVENT, () => scheduler.poke());
    return () => {
      active = false;
      scheduler.stop();
      stop();
    };
  }, []);

  if (result === null) return <WidgetMessage tone="muted" title={t('widget.loading')} />;
  if (result.kind === 'unavailable') return <WidgetMessage title={t('widget.noAlarmService')} hint={t('widget.noAlarmServiceHint')} testId="no-alarm-service" />;
  if (result.kind === 'failed') return <WidgetMessage tone="bad" title={t('widget.alarmsFailed', { reason: result.message })} />;
  const rows = result.value;
  if (rows.length === 0) return <WidgetMessage title={t('widget.noAlarms')} testId="no-alarms" />;
  const shown = rows.slice(0, widget.options.max);
  return (
    <div className="alarm-list-widget">
      <ul className="alarm-rows" data-testid="alarm-rows">
        {shown.map((row) => (
          <li key={row.id} className={`alarm-row alarm-row-${SEVERITY_TONE[row.severity] ?? 'warn'}${row.acknowledged ? ' is-acknowledged' : ''}`}>
            <span className="alarm-row-mark" aria-hidden="true" />
            <span className="alarm-row-text">
              <span className="alarm-row-message">{row.message[locale] ?? row.message.en ?? row.message['zh-CN']}</span>
              {row.source && <span className="alarm-row-source">{row.source}</span>}
            </span>
            {row.raisedAt !== null && <time className="alarm-row-time">{formatClock(row.raisedAt, i18n.language).slice(0, 5)}</time>}
          </li>
        ))}
      </ul>
      {rows.length > shown.length && <div className="alarm-more">{t('widget.alarmsMore', { count: rows.length - shown.length })}</div>}
    </div>
  );
}
