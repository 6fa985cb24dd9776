// The header's alarm badge: how many alarms wait for acknowledgement, per severity in its colour,
// linking to the Alarms page. It also starts following the alarms (the header is always there).
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ALARM_SEVERITIES } from '../../../../shared/domain/alarms.ts';
import { pageHref } from '../../app/navigation.ts';
import { totalOf, worstSeverity } from './alarm-list.ts';
import { startAlarmFeed, useAlarmsStore } from './alarms-store.ts';
import './alarms.css';

export function AlarmBadge() {
  const { t } = useTranslation();
  const counts = useAlarmsStore((state) => state.counts);
  const loaded = useAlarmsStore((state) => state.loaded);
  const unavailable = useAlarmsStore((state) => state.unavailable);
  useEffect(() => startAlarmFeed(), []);
  if (unavailable || !loaded) return null;
  const total = totalOf(counts);
  const worst = worstSeverity(counts);
  const summary = total === 0 ? t('alarms.badge.none') : ALARM_SEVERITIES.filter((severity) => counts[severity] > 0).map((severity) => `${t(`alarms.severity.${severity}`)} ${counts[severity]}`).join(', ');
  return (
    <a
      href={pageHref('alarms')}
      className={`alarms-badge${worst ? ` alarms-badge-${worst}` : ' alarms-badge-none'}`}
      title={total === 0 ? t('alarms.badge.none') : t('alarms.badge.title', { summary })}
      aria-label={total === 0 ? t('alarms.badge.none') : t('alarms.badge.title', { summary })}
      data-testid="alarm-badge"
      data-count={total}
    >
      <BellIcon />
      {total === 0 ? (
        <span className="alarms-badge-ok">0</span>
      ) : (
        ALARM_SEVERITIES.filter((severity) => counts[severity] > 0).map((severity) => (
          <span key={severity} className={`alarms-count severity-${severity}`} data-testid={`alarm-count-${severity}`}>
            {counts[severity]}
          </span>
        ))
      )}
    </a>
  );
}

function BellIcon() {
  return (
    <svg className="alarms-bell" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">
      <path d="M8 1.5a4.5 4.5 0 0 0-4.5 4.5v2.6L2 11v1h12v-1l-1.5-2.4V6A4.5 4.5 0 0 0 8 1.5ZM6.3 13a1.8 1.8 0 0 0 3.4 0Z" fill="currentColor" />
    </svg>
  );
}
