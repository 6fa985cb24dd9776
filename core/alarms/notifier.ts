// Sends new alarms to the configured group robots without ever holding up the engine: each robot
// has its own queue, sends at most one message per interval (the robots allow about 20 a minute),
// and whatever arrives meanwhile goes into the next message as a summary — a burst of hundreds of
// alarms becomes one message with counts per severity and the worst few named.
import type { AlarmView, SeverityCounts, WebhookKind } from '../../shared/contract/alarm-calls.ts';
import { ALARM_SEVERITIES, severityRank, type AlarmSeverity } from '../../shared/domain/alarms.ts';
import { translate, type Locale } from '../../shared/i18n/index.ts';
import type { Logger } from '../host.ts';
import { sendWithRetries, webhookHost, type RetryOptions, type WebhookError } from './webhooks.ts';

/** A robot as stored, with its address and secret in full (never returned by a call, never logged). */
export interface StoredChannel {
  id: string;
  name: string;
  kind: WebhookKind;
  enabled: boolean;
  minSeverity: AlarmSeverity;
  locale: Locale;
  url: string;
  secret?: string | undefined;
}

export interface NotifierOptions {
  /** Least time between two messages to one robot (default 3 s). */
  minIntervalMs?: number;
  retry?: RetryOptions;
}

/** How many alarms one message names; the rest are counted. */
const NAMED_PER_MESSAGE = 5;

export const emptyCounts = (): SeverityCounts => ({ critical: 0, high: 0, medium: 0, low: 0 });

const timeFormats = new Map<string, Intl.DateTimeFormat>();
function formatTime(ts: number, locale: Locale): string {
  let format = timeFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    timeFormats.set(locale, format);
  }
  return format.format(ts);
}

/** One alarm as a line of a message: "[High] 2026-05-04 14:05:12 IMM-1: Barrel zone 3 high: 281 °C". */
export function alarmLine(alarm: AlarmView, locale: Locale): string {
  return `[${translate(locale, `alarms.severity.${alarm.severity}`)}] ${formatTime(alarm.raisedAt, locale)} ${alarm.message[locale]}`;
}

/** The text of one message: one alarm in full, or a count per severity and the worst few. */
export function composeAlarmText(alarms: readonly AlarmView[], count: number, counts: SeverityCounts, locale: Locale): string {
  if (count <= 1 && alarms.length === 1) return `${translate(locale, 'alarms.notify.title')}\n${alarmLine(alarms[0]!, locale)}`;
  const bySeverity = ALARM_SEVERITIES.filter((severity) => counts[severity] > 0)
    .map((severity) => `${translate(locale, `alarms.severity.${severity}`)} ${counts[severity]}`)
    .join(' · ');
  const lines = [`${translate(locale, 'alarms.notify.titleMany', { count })}${bySeverity ? ` (${bySeverity})` : ''}`];
  for (const alarm of alarms.slice(0, NAMED_PER_MESSAGE)) lines.push(alarmLine(alarm, locale));
  const named = Math.min(alarms.length, NAMED_PER_MESSAGE);
  if (count > named) lines.push(translate(locale, 'alarms.notify.more', { count: count - named }));
  return lines.join('\n');
}

/** Worst first, then oldest first. */
function byUrgency(a: AlarmView, b: AlarmView): number {
  return severityRank(a.severity) - severityRank(b.severity) || a.raisedAt - b.raisedAt;
}

interface ChannelQueue {
  alarms: AlarmView[];
  count: number;
  counts: SeverityCounts;
  timer: NodeJS.Timeout | undefined;
  busy: boolean;
  lastSentAt: number;
}

export class AlarmNotifier {
  readonly #logger: Logger;
  readonly #minIntervalMs: number;
  readonly #retry: RetryOptions;
  readonly #abort = new AbortController();
  #channels: StoredChannel[] = [];
  readonly #queues = new Map<string, ChannelQueue>();
  readonly #inFlight = new Set<Promise<void>>();
  /** Messages delivered and given up, for tests and the log. */
  delivered = 0;
  failed = 0;

  constructor(logger: Logger, options: NotifierOptions = {}) {
    this.#logger = logger;
    this.#minIntervalMs = options.minIntervalMs ?? 3000;
    this.#retry = options.retry ?? {};
  }

  setChannels(channels: readonly StoredChannel[]): void {
    this.#channels = [...channels];
    const ids = new Set(channels.map((channel) => channel.id));
    for (const [id, queue] of this.#queues) {
      if (ids.has(id)) continue;
      clearTimeout(queue.timer);
      this.#queues.delete(id);
    }
  }

  /**
   * New alarms (a batch: the first ones in full, how many there were and their counts per severity).
   * Returns at once; the sending happens in the background.
   */
  notify(alarms: readonly AlarmView[], count: number, counts: SeverityCounts): void {
    if (this.#abort.signal.aborted) return;
    for (const channel of this.#channels) {
      if (!channel.enabled) continue;
      const worst = severityRank(channel.minSeverity);
      const wanted = ALARM_SEVERITIES.filter((severity) => severityRank(severity) <= worst);
      const total = Math.min(count, wanted.reduce((sum, severity) => sum + counts[severity], 0));
      if (total === 0) continue;
      let queue = this.#queues.get(channel.id);
      if (!queue) {
        queue = { alarms: [], count: 0, counts: emptyCounts(), timer: undefined, busy: false, lastSentAt: 0 };
        this.#queues.set(channel.id, queue);
      }
      queue.alarms = [...queue.alarms, ...alarms.filter((alarm) => severityRank(alarm.severity) <= worst)].sort(byUrgency).slice(0, NAMED_PER_MESSAGE);
      queue.count += total;
      for (const severity of wanted) queue.counts[severity] += counts[severity];
      this.#schedule(channel.id, queue);
    }
  }

  #schedule(channelId: string, queue: ChannelQueue): void {
    if (queue.busy || queue.timer || queue.count === 0) return;
    const wait = Math.max(0, queue.lastSentAt + this.#minIntervalMs - Date.now());
    queue.timer = setTimeout(() => {
      queue.timer = undefined;
      const sending = this.#send(channelId, queue);
      this.#inFlight.add(sending);
      void sending.finally(() => this.#inFlight.delete(sending));
    }, wait);
    queue.timer.unref?.();
  }

  async #send(channelId: string, queue: ChannelQueue): Promise<void> {
    const channel = this.#channels.find((candidate) => candidate.id === channelId);
    if (!channel || !channel.enabled || this.#abort.signal.aborted) return;
    const text = composeAlarmText(queue.alarms, queue.count, queue.counts, channel.locale);
    const sent = queue.count;
    queue.alarms = [];
    queue.count = 0;
    queue.counts = emptyCounts();
    queue.busy = true;
    try {
      await sendWithRetries(channel, text, { ...this.#retry, signal: this.#abort.signal });
      this.delivered++;
    } catch (error) {
      this.failed++;
      if (!this.#abort.signal.aborted) {
        this.#logger.warn('alarm notification not delivered', {
          channel: channel.name,
          kind: channel.kind,
          host: webhookHost(channel.url),
          alarms: sent,
          reason: (error as WebhookError).message,
        });
      }
    } finally {
      queue.busy = false;
      queue.lastSentAt = Date.now();
      if (this.#queues.get(channelId) === queue) this.#schedule(channelId, queue);
    }
  }

  /** Resolves once nothing is queued or being sent (tests). */
  async whenIdle(): Promise<void> {
    for (;;) {
      const waiting = [...this.#queues.values()].some((queue) => queue.timer || queue.busy || queue.count > 0);
      if (!waiting && this.#inFlight.size === 0) return;
      if (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
      else await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Stops sending: queued messages are dropped, retries end. */
  close(): void {
    this.#abort.abort();
    for (const queue of this.#queues.values()) clearTimeout(queue.timer);
    this.#queues.clear();
  }
}

/** Failure of a delivery attempt, logged without the address. */
export function describeFailure(error: WebhookError): string {
  return error.status === null ? error.message : `${error.message} (HTTP ${error.status})`;
}
