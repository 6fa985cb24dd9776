// An alarm's severity and state in a word on a tint of their colour, and a value as alarms show it.
import { useTranslation } from 'react-i18next';
import type { AlarmSeverity, AlarmState } from '../../../../shared/domain/alarms.ts';
import { formatAlarmNumber } from '../../../../shared/domain/alarms.ts';

export function SeverityPill({ severity }: { severity: AlarmSeverity }) {
  const { t } = useTranslation();
  return (
    <span className={`pill severity-${severity}`} data-testid="alarm-severity" data-severity={severity}>
      {t(`alarms.severity.${severity}`)}
    </span>
  );
}

const STATE_TONE: Record<AlarmState, string> = {
  active: 'pill-bad',
  acknowledged: 'pill-warn',
  clearedUnacknowledged: 'pill-off',
  cleared: 'pill-good',
};

export function StatePill({ state }: { state: AlarmState }) {
  const { t } = useTranslation();
  return (
    <span className={`pill ${STATE_TONE[state]}`} data-testid="alarm-state" data-state={state}>
      {t(`alarms.state.${state}`)}
    </span>
  );
}

export function formatAlarmValue(value: number | string | null): string {
  if (value === null) return '—';
  return typeof value === 'number' ? formatAlarmNumber(value) : value;
}
