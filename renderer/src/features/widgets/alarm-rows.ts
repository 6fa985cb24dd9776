// The rows of the alarm list from an `alarms.active` answer (shared/contract/alarm-calls.ts), worst and
// newest first, shelved alarms left out. Read defensively: the alarm service is built beside this
// widget, and a field it renames must leave a blank, not break the Overview.
import type { Locale } from '../../../../shared/i18n/index.ts';

export const SEVERITY_TONE: Record<string, 'bad' | 'warn' | 'off'> = { critical: 'bad', high: 'bad', medium: 'warn', low: 'off' };
const SEVERITY_RANK: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/** What the list shows of an alarm. */
export interface AlarmRow {
  id: string;
  severity: string;
  message: Partial<Record<Locale, string>>;
  source: string;
  raisedAt: number | null;
  acknowledged: boolean;
}

/** The rows of an `alarms.active` answer, read defensively: a field that is missing leaves a blank, not a crash. */
export function alarmRows(answer: unknown): AlarmRow[] {
  const list = Array.isArray(answer) ? answer : (answer as { alarms?: unknown } | null)?.alarms;
  if (!Array.isArray(list)) return [];
  return list
    .filter((entry): entry is Record<string, unknown> => typeof entry === 'object' && entry !== null)
    .filter((entry) => (entry.shelvedUntil ?? null) === null)
    .map((entry) => {
      const message = typeof entry.message === 'object' && entry.message !== null ? (entry.message as Record<string, string>) : { en: String(entry.message ?? '') };
      const source = [entry.deviceName, entry.pointName].filter((part) => typeof part === 'string' && part !== '').join(' · ');
      return {
        id: String(entry.id ?? ''),
        severity: typeof entry.severity === 'string' ? entry.severity : 'medium',
        message: { en: message.en, 'zh-CN': message['zh-CN'] },
        source,
        raisedAt: typeof entry.raisedAt === 'number' ? entry.raisedAt : null,
        acknowledged: entry.state === 'acknowledged' || typeof entry.acknowledgedAt === 'number',
      };
    })
    .sort((a, b) => (SEVERITY_RANK[a.severity] ?? 9) - (SEVERITY_RANK[b.severity] ?? 9) || (b.raisedAt ?? 0) - (a.raisedAt ?? 0));
}
