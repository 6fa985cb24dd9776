// The active list as the UI keeps it: alarms merged from batched change events (an alarm that is
// over leaves), sorted worst first, unacknowledged before acknowledged, newest first; shelved last.
import type { AlarmView, SeverityCounts } from '../../../../shared/contract/alarm-calls.ts';
import { ALARM_SEVERITIES, severityRank, type AlarmSeverity } from '../../../../shared/domain/alarms.ts';

/** Whether an operator still has to acknowledge it. */
export function needsAcknowledgement(alarm: AlarmView): boolean {
  return alarm.state === 'active' || alarm.state === 'clearedUnacknowledged';
}

export function isShelved(alarm: AlarmView, now: number): boolean {
  return alarm.shelvedUntil !== null && alarm.shelvedUntil > now;
}

/** The list's order: not shelved first, worst first, waiting for acknowledgement first, newest first. */
export function compareAlarms(a: AlarmView, b: AlarmView): number {
  const shelved = Number(a.shelvedUntil !== null) - Number(b.shelvedUntil !== null);
  if (shelved !== 0) return shelved;
  const severity = severityRank(a.severity) - severityRank(b.severity);
  if (severity !== 0) return severity;
  const waiting = Number(needsAcknowledgement(b)) - Number(needsAcknowledgement(a));
  if (waiting !== 0) return waiting;
  return b.raisedAt - a.raisedAt || b.id - a.id;
}

/** The list after a batch of changes: changed alarms replaced, those now over ('cleared') removed. */
export function mergeAlarms(list: readonly AlarmView[], changed: readonly AlarmView[]): AlarmView[] {
  if (changed.length === 0) return list as AlarmView[];
  const byId = new Map(list.map((alarm) => [alarm.id, alarm]));
  for (const alarm of changed) {
    if (alarm.state === 'cleared') byId.delete(alarm.id);
    else byId.set(alarm.id, alarm);
  }
  return [...byId.values()].sort(compareAlarms);
}

export function totalOf(counts: SeverityCounts): number {
  return ALARM_SEVERITIES.reduce((sum, severity) => sum + counts[severity], 0);
}

/** The worst severity with a count, for the badge's colour; null when there is none. */
export function worstSeverity(counts: SeverityCounts): AlarmSeverity | null {
  return ALARM_SEVERITIES.find((severity) => counts[severity] > 0) ?? null;
}
