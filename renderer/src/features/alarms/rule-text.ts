// A rule's condition as a short phrase: "> 255 °C (deadband 3) after 2 s", "changes faster than 5 °C/s".
import { formatAlarmNumber, isHighLimit, type AlarmRule } from '../../../../shared/domain/alarms.ts';

export type Translate = (key: string, params?: Record<string, string | number>) => string;

export function describeCondition(rule: AlarmRule, t: Translate, unit: string): string {
  const n = formatAlarmNumber;
  const u = unit ? ` ${unit}` : '';
  let phrase: string;
  switch (rule.kind) {
    case 'limit':
      phrase = t(isHighLimit(rule.level) ? 'alarms.condition.above' : 'alarms.condition.below', { level: rule.level, limit: `${n(rule.limit)}${u}` });
      if (rule.deadband > 0) phrase += ` ${t('alarms.condition.deadband', { deadband: `${n(rule.deadband)}${u}` })}`;
      break;
    case 'rateOfChange':
      phrase = t(`alarms.condition.rate.${rule.direction}`, { rate: `${n(rule.rate)}${u}/${t(`alarms.condition.per.${rule.per}`)}` });
      break;
    case 'stuck':
      phrase = t('alarms.condition.stuck', { minutes: n(rule.forMs / 60_000) });
      break;
    case 'state':
      phrase = t('alarms.condition.state', { values: rule.values.join(', ') });
      break;
    case 'disconnected':
      phrase = t('alarms.condition.disconnected');
      break;
  }
  if (rule.onDelayMs > 0) phrase += ` ${t('alarms.condition.onDelay', { seconds: n(rule.onDelayMs / 1000) })}`;
  return phrase;
}
