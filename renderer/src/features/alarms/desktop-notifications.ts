// A desktop notification for each new alarm (the Notification API: in Electron's window and in
// browsers). A burst never floods the screen: at most one notification per few seconds, and what
// arrived meanwhile is summed up in the next one ("12 new alarms: Critical 2 · High 10").
import type { AlarmEventPayload, AlarmView, SeverityCounts } from '../../../../shared/contract/alarm-calls.ts';
import { ALARM_SEVERITIES, severityRank } from '../../../../shared/domain/alarms.ts';

type Raised = AlarmEventPayload<'alarms.raised'>;
export type Translate = (key: string, params?: Record<string, string | number>) => string;

export interface DesktopNotice {
  title: string;
  body: string;
  /** Replaces an earlier notice with the same tag instead of stacking up. */
  tag: string;
}

const NAMED = 3;

/** One alarm in full, or a count per severity and the worst few. */
export function composeNotice(alarms: readonly AlarmView[], count: number, counts: SeverityCounts, language: 'zh-CN' | 'en', t: Translate): DesktopNotice {
  const first = alarms[0];
  if (count === 1 && first) {
    return {
      title: t('alarms.desktop.one', { severity: t(`alarms.severity.${first.severity}`) }),
      body: first.message[language],
      tag: `plantdesk-alarm-${first.id}`,
    };
  }
  const bySeverity = ALARM_SEVERITIES.filter((severity) => counts[severity] > 0)
    .map((severity) => `${t(`alarms.severity.${severity}`)} ${counts[severity]}`)
    .join(' · ');
  const lines = [bySeverity, ...alarms.slice(0, NAMED).map((alarm) => alarm.message[language])];
  if (count > Math.min(NAMED, alarms.length)) lines.push(t('alarms.desktop.more', { count: count - Math.min(NAMED, alarms.length) }));
  return { title: t('alarms.desktop.many', { count }), body: lines.filter(Boolean).join('\n'), tag: 'plantdesk-alarms' };
}

export interface NoticeThrottleOptions {
  minIntervalMs?: number;
  now?: () => number;
}

/** Collects raised batches and hands out at most one notice per interval. */
export class NoticeThrottle {
  readonly #show: (alarms: AlarmView[], count: number, counts: SeverityCounts) => void;
  readonly #minIntervalMs: number;
  readonly #now: () => number;
  #alarms: AlarmView[] = [];
  #count = 0;
  #counts: SeverityCounts = { critical: 0, high: 0, medium: 0, low: 0 };
  #lastShownAt = Number.NEGATIVE_INFINITY;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(show: (alarms: AlarmView[], count: number, counts: SeverityCounts) => void, options: NoticeThrottleOptions = {}) {
    this.#show = show;
    this.#minIntervalMs = options.minIntervalMs ?? 3000;
    this.#now = options.now ?? Date.now;
  }

  push(raised: Raised): void {
    if (raised.count === 0) return;
    this.#alarms = [...this.#alarms, ...raised.alarms]
      .sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || a.raisedAt - b.raisedAt)
      .slice(0, NAMED);
    this.#count += raised.count;
    for (const severity of ALARM_SEVERITIES) this.#counts[severity] += raised.counts[severity];
    if (this.#timer) return;
    const wait = this.#lastShownAt + this.#minIntervalMs - this.#now();
    if (wait <= 0) this.#flush();
    else this.#timer = setTimeout(() => this.#flush(), wait);
  }

  #flush(): void {
    this.#timer = undefined;
    if (this.#count === 0) return;
    const alarms = this.#alarms;
    const count = this.#count;
    const counts = this.#counts;
    this.#alarms = [];
    this.#count = 0;
    this.#counts = { critical: 0, high: 0, medium: 0, low: 0 };
    this.#lastShownAt = this.#now();
    this.#show(alarms, count, counts);
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

/** Whether this window can show desktop notifications at all. */
export function notificationsSupported(): boolean {
  return typeof Notification !== 'undefined';
}

/** Shows a notice; clicking it brings the window forward on the Alarms page. */
export function showDesktopNotice(notice: DesktopNotice): void {
  if (!notificationsSupported() || Notification.permission !== 'granted') return;
  try {
    const notification = new Notification(notice.title, { body: notice.body, tag: notice.tag });
    notification.onclick = () => {
      window.focus();
      window.location.hash = '#/alarms';
      notification.close();
    };
  } catch (error) {
    // Some browsers allow notifications only from a service worker; the in-app badge still shows.
    console.warn('desktop notification not shown', error);
  }
}

/**
 * Asks for permission once, on the user's first click or key press (browsers only ask after a user
 * gesture; Electron's window has it granted already).
 */
export function askPermissionOnFirstGesture(): () => void {
  if (!notificationsSupported() || Notification.permission !== 'default') return () => {};
  const ask = () => {
    stop();
    if (Notification.permission === 'default') void Notification.requestPermission().catch(() => undefined);
  };
  const stop = () => {
    window.removeEventListener('pointerdown', ask, true);
    window.removeEventListener('keydown', ask, true);
  };
  window.addEventListener('pointerdown', ask, true);
  window.addEventListener('keydown', ask, true);
  return stop;
}
