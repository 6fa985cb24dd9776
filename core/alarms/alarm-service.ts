// Alarms of one database: the rules, the engine that checks live samples and device states against
// them, the life of each alarm (active → acknowledged → cleared, or cleared before it was seen),
// shelving, suppression during planned stops, and where alarms go — batched events for the UI and
// messages to group robots. Every transition is stored with who and when; the alarms not yet over
// are stored too, so a restart picks them up where they were.
//
// A burst (hundreds of alarms a second) costs little: transitions are written in one transaction
// and announced in one event per 250 ms tick, coalesced per alarm, and robots get one summary.
import { z } from 'zod';
import type {
  AlarmEventPayload,
  AlarmHistoryEntry,
  AlarmView,
  NotificationChannelInput,
  NotificationSettingsView,
  SeverityCounts,
} from '../../shared/contract/alarm-calls.ts';
import { NotificationChannelInputSchema } from '../../shared/contract/alarm-calls.ts';
import {
  ALARM_SEVERITIES,
  renderAlarmMessage,
  severityRank,
  type AlarmEventKind,
  type AlarmRule,
  type AlarmSeverity,
} from '../../shared/domain/alarms.ts';
import type { DeviceStatus, Sample } from '../../shared/domain/devices.ts';
import { AppError } from '../../shared/errors.ts';
import { LOCALES, translate, type Locale } from '../../shared/i18n/index.ts';
import type { Logger } from '../host.ts';
import type { Db } from '../storage/database.ts';
import { Settings } from '../storage/settings.ts';
import { AlarmStore, type AlarmEventRow, type AlarmRecord, type HistoryQuery, type Shelf } from './alarm-store.ts';
import { AlarmNotifier, emptyCounts, type NotifierOptions, type StoredChannel } from './notifier.ts';
import { RuleEngine, type CompiledRule, type RuleSink } from './rule-engine.ts';
import { maskWebhookUrl, postWebhook, WebhookError, webhookHost } from './webhooks.ts';

/**
 * Whether an alarm must not be raised now because its machine is in a planned stop (the KPI engine
 * knows the plan). `pointId` is null for a device's communication alarm.
 */
export type AlarmSuppression = (pointId: string | null, ts: number, deviceId: string) => boolean;

/** What the service needs to know about a point to word its alarms. */
export interface AlarmPointInfo {
  name: string;
  unit: string;
  deviceId: string;
}

export interface AlarmServiceOptions {
  db: Db;
  logger: Logger;
  /** Alarms whose state changed, batched (wire to the event bus: 'alarms.changed'). */
  onChanged?: (payload: AlarmEventPayload<'alarms.changed'>) => void;
  /** New alarms, batched (wire to the event bus: 'alarms.raised'). */
  onRaised?: (payload: AlarmEventPayload<'alarms.raised'>) => void;
  pointById?: (pointId: string) => AlarmPointInfo | undefined;
  deviceName?: (deviceId: string) => string | undefined;
  /** Rules created the first time the service runs on a database (the demo plant's); never again. */
  seedRules?: readonly AlarmRule[];
  isSuppressed?: AlarmSuppression;
  /** The automatic communication-loss alarm every device has (on, severity high, after 5 s). */
  communicationLoss?: { enabled?: boolean; severity?: AlarmSeverity; onDelayMs?: number };
  notifier?: NotifierOptions;
  /** How often delays, shelving expiry, writes and events are seen to (default 250 ms). */
  tickMs?: number;
  /** More alarms changed in one tick than this: the event says "read the list again" instead. */
  maxChangedPerEvent?: number;
  /** How long transitions are kept (default 2 years). */
  historyDays?: number;
  now?: () => number;
}

/** How long a suppressed raise waits before the plan is asked again. */
const SUPPRESSION_RECHECK_MS = 5000;
/** New alarms named in one 'alarms.raised' event; the rest are counted. */
const RAISED_PER_EVENT = 20;
const NOTIFICATIONS_KEY = 'alarms.notifications';
const SEEDED_KEY = 'alarms.seedRulesApplied';

const StoredChannelSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['wecom', 'dingtalk', 'feishu']),
  enabled: z.boolean(),
  minSeverity: z.enum(ALARM_SEVERITIES),
  locale: z.enum(LOCALES),
  url: z.string(),
  secret: z.string().optional(),
});
const StoredChannelsSchema = z.array(StoredChannelSchema);

/** Who did something, as the history shows it: the caller and their role. */
export function actorOf(context: { role: string; actor?: string | undefined }): string {
  return context.actor ? `${context.actor} (${context.role})` : context.role;
}

const SYSTEM = 'system';

export class AlarmService implements RuleSink {
  readonly #store: AlarmStore;
  readonly #settings: Settings;
  readonly #logger: Logger;
  readonly #options: AlarmServiceOptions;
  readonly #now: () => number;
  readonly #engine: RuleEngine;
  readonly #notifier: AlarmNotifier;
  readonly #byId = new Map<number, AlarmRecord>();
  readonly #byRule = new Map<string, AlarmRecord>();
  readonly #shelves = new Map<string, Shelf>();
  #suppression: AlarmSuppression | undefined;
  #lastId: number;
  #rules: AlarmRule[] = [];
  // Waiting for the next tick: rows to write, alarms to announce, new alarms to notify.
  #dirty = new Map<number, AlarmRecord>();
  #eventRows: AlarmEventRow[] = [];
  #changed = new Map<number, AlarmRecord>();
  /** New alarms to announce, per severity (the first few of each, so the worst are always named). */
  #raised: Record<AlarmSeverity, AlarmRecord[]> = { critical: [], high: [], medium: [], low: [] };
  #raisedCount = 0;
  #raisedCounts = emptyCounts();
  #timer: NodeJS.Timeout | undefined;
  #writeFailedAt = 0;
  #prunedAt = 0;
  #closed = false;

  constructor(options: AlarmServiceOptions) {
    this.#options = options;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
    this.#store = new AlarmStore(options.db, options.logger);
    this.#settings = new Settings(options.db, options.logger);
    this.#suppression = options.isSuppressed;
    this.#notifier = new AlarmNotifier(options.logger, options.notifier);
    this.#notifier.setChannels(this.#storedChannels());

    for (const record of this.#store.activeAlarms()) {
      this.#byId.set(record.id, record);
      this.#byRule.set(record.ruleId, record);
    }
    for (const shelf of this.#store.shelves()) this.#shelves.set(shelf.ruleId, shelf);
    this.#lastId = this.#store.lastAlarmId();

    const loss = options.communicationLoss ?? {};
    this.#engine = new RuleEngine(this, {
      alarmOn: (ruleId) => {
        const state = this.#byRule.get(ruleId)?.state;
        return state === 'active' || state === 'acknowledged';
      },
      automaticRule: loss.enabled === false ? undefined : (deviceId) => this.#communicationRule(deviceId, loss.severity ?? 'high', loss.onDelayMs ?? 5000),
    });
    this.#seed(options.seedRules ?? []);
    this.#reloadRules();
    this.#prune();

    this.#timer = setInterval(() => this.tick(), options.tickMs ?? 250);
    this.#timer.unref();
  }

  #communicationRule(deviceId: string, severity: AlarmSeverity, onDelayMs: number): AlarmRule {
    return {
      id: `commLoss.${deviceId}`,
      kind: 'disconnected',
      deviceId,
      severity,
      enabled: true,
      onDelayMs,
      offDelayMs: 0,
      message: { 'zh-CN': translate('zh-CN', 'alarms.commLoss.message'), en: translate('en', 'alarms.commLoss.message') },
    };
  }

  #seed(rules: readonly AlarmRule[]): void {
    if (rules.length === 0 || this.#settings.read(SEEDED_KEY, z.boolean(), false)) return;
    const existing = new Set(this.#store.rules().map((rule) => rule.id));
    try {
      this.#options.db.transaction(() => {
        for (const rule of rules) if (!existing.has(rule.id)) this.#store.saveRule(rule, this.#now());
        this.#settings.write(SEEDED_KEY, z.boolean(), true);
      })();
    } catch (error) {
      // A full disk must not stop the core; the rules are created at the next start.
      this.#logger.warn('cannot create the demo alarm rules now', { error: String(error) });
    }
  }

  /** Reads the rules again and recompiles; alarms of rules that went away are cleared. */
  #reloadRules(): void {
    this.#rules = this.#store.rules();
    const now = this.#now();
    for (const removed of this.#engine.setRules(this.#rules, now)) this.#clearGone(removed.id, now);
  }

  // ---- The engine's input -------------------------------------------------------------------

  /** Checks live samples against the rules (the hot path: call it with every batch from the devices). */
  evaluate(samples: readonly Sample[]): void {
    this.#engine.evaluate(samples);
  }

  /** A device's status changed: its communication alarm follows its connection. */
  deviceStatus(status: DeviceStatus): void {
    this.#engine.deviceStatus(status.deviceId, status.state, this.#now());
  }

  /** Rules were changed in the database by another writer (a template installed, updated or removed): reads them again. */
  rulesChanged(): void {
    this.#reloadRules();
    this.flush();
  }

  /** Devices or points changed: alarms of ones that no longer exist are cleared. */
  configurationChanged(): void {
    const now = this.#now();
    const { pointById, deviceName } = this.#options;
    for (const record of [...this.#byId.values()]) {
      const pointGone = record.pointId !== null && pointById !== undefined && pointById(record.pointId) === undefined;
      const deviceGone = record.deviceId !== null && deviceName !== undefined && deviceName(record.deviceId) === undefined;
      if (pointGone || deviceGone) this.#clearGone(record.ruleId, now);
      if (deviceGone && record.deviceId) this.#engine.forgetDevice(record.deviceId);
    }
  }

  /** Lets the KPI engine hold back alarms of machines in a planned stop. */
  setSuppression(isSuppressed: AlarmSuppression | undefined): void {
    this.#suppression = isSuppressed;
  }

  get engine(): RuleEngine {
    return this.#engine;
  }

  // ---- Transitions (from the engine) ---------------------------------------------------------

  /** @internal The engine's raise: false holds it back (suppressed). */
  raise(rule: CompiledRule, ts: number): boolean {
    const deviceId = rule.rule.kind === 'disconnected' ? rule.rule.deviceId : (this.#options.pointById?.(rule.rule.pointId)?.deviceId ?? null);
    if (this.#suppression) {
      let suppressed = false;
      try {
        suppressed = this.#suppression(rule.pointId, ts, deviceId ?? '');
      } catch (error) {
        this.#logger.warn('the planned-stop check failed; the alarm is raised', { rule: rule.id, error: String(error) });
      }
      if (suppressed) {
        rule.suppressedUntil = ts + SUPPRESSION_RECHECK_MS;
        return false;
      }
    }
    const point = rule.pointId === null ? undefined : this.#options.pointById?.(rule.pointId);
    const deviceName = deviceId === null ? null : (this.#options.deviceName?.(deviceId) ?? deviceId);
    const value = rule.trippedValue;
    const limit = rule.limitValue;
    const params = {
      device: deviceName ?? '',
      point: point?.name ?? rule.pointId ?? '',
      unit: point?.unit ?? '',
      ...(value === null ? {} : { value }),
      ...(limit === null ? {} : { limit }),
    };
    const message = {
      'zh-CN': renderAlarmMessage(rule.rule.message['zh-CN'], params),
      en: renderAlarmMessage(rule.rule.message.en, params),
    };
    let record = this.#byRule.get(rule.id);
    if (record && record.state !== 'cleared') {
      // Back before anyone acknowledged that it had gone: the same alarm, active again.
      record.state = 'active';
      record.clearedAt = null;
      record.acknowledgedAt = null;
      record.acknowledgedBy = null;
      record.raisedAt = ts;
      record.value = value;
      record.message = message;
    } else {
      record = {
        id: ++this.#lastId,
        ruleId: rule.id,
        kind: rule.rule.kind,
        automatic: rule.automatic,
        severity: rule.rule.severity,
        state: 'active',
        deviceId,
        pointId: rule.pointId,
        deviceName,
        pointName: point?.name ?? null,
        message,
        value,
        raisedAt: ts,
        acknowledgedAt: null,
        acknowledgedBy: null,
        clearedAt: null,
      };
      this.#byId.set(record.id, record);
      this.#byRule.set(record.ruleId, record);
    }
    this.#transition(record, ts, 'raised', SYSTEM, null);
    if (!this.#isShelved(record.ruleId, ts)) this.#announceRaised(record);
    return true;
  }

  /** @internal The engine's clear. */
  clear(rule: CompiledRule, ts: number): void {
    const record = this.#byRule.get(rule.id);
    if (record) this.#clearRecord(record, ts);
  }

  #clearRecord(record: AlarmRecord, ts: number): void {
    if (record.state === 'active') record.state = 'clearedUnacknowledged';
    else if (record.state === 'acknowledged') this.#close(record);
    else return;
    record.clearedAt = ts;
    this.#transition(record, ts, 'cleared', SYSTEM, null);
  }

  /** The alarm of a rule that no longer exists (deleted, disabled, its point removed) clears. */
  #clearGone(ruleId: string, ts: number): void {
    const record = this.#byRule.get(ruleId);
    if (record) this.#clearRecord(record, ts);
    // A rule that stays (its point was removed and may come back) starts again from "no alarm".
    const compiled = this.#engine.rule(ruleId);
    if (compiled) RuleEngine.reset(compiled);
  }

  #close(record: AlarmRecord): void {
    record.state = 'cleared';
    this.#byId.delete(record.id);
    if (this.#byRule.get(record.ruleId) === record) this.#byRule.delete(record.ruleId);
  }

  #transition(record: AlarmRecord, ts: number, event: AlarmEventKind, actor: string, comment: string | null): void {
    // The row keeps the alarm as it was at this moment (it may change again before it is written).
    this.#eventRows.push({ alarm: { ...record }, ts, event, actor, comment });
    this.#dirty.set(record.id, record);
    this.#changed.set(record.id, record);
  }

  #announceRaised(record: AlarmRecord): void {
    this.#raisedCount++;
    this.#raisedCounts[record.severity]++;
    const kept = this.#raised[record.severity];
    if (kept.length < RAISED_PER_EVENT) kept.push(record);
  }

  #isShelved(ruleId: string, now = this.#now()): boolean {
    const shelf = this.#shelves.get(ruleId);
    return shelf !== undefined && shelf.until > now;
  }

  // ---- Ticks: delays, shelving expiry, writes and events ----------------------------------------

  /** Runs out delays and shelves, then writes and announces what changed. Runs every tick. */
  tick(): void {
    if (this.#closed) return;
    const now = this.#now();
    this.#engine.tick(now);
    for (const shelf of [...this.#shelves.values()]) {
      if (shelf.until > now) continue;
      this.#endShelf(shelf.ruleId, now, SYSTEM);
    }
    if (now - this.#prunedAt > 86_400_000) this.#prune();
    this.flush();
  }

  #endShelf(ruleId: string, now: number, actor: string): AlarmRecord | undefined {
    this.#shelves.delete(ruleId);
    this.#store.deleteShelf(ruleId);
    const record = this.#byRule.get(ruleId);
    if (!record) return undefined;
    this.#transition(record, now, 'unshelved', actor, null);
    // An alarm still waiting for someone comes back as if new.
    if (record.state === 'active') this.#announceRaised(record);
    return record;
  }

  #prune(): void {
    this.#prunedAt = this.#now();
    try {
      const removed = this.#store.prune(this.#prunedAt - (this.#options.historyDays ?? 730) * 86_400_000);
      if (removed > 0) this.#logger.info('old alarm history removed', { transitions: removed });
    } catch (error) {
      this.#logger.warn('cannot remove old alarm history', { error: String(error) });
    }
  }

  /** Writes pending transitions and sends the batched events now. */
  flush(): void {
    if (this.#dirty.size > 0 || this.#eventRows.length > 0) {
      try {
        this.#store.write(this.#dirty.values(), this.#eventRows);
        this.#dirty = new Map();
        this.#eventRows = [];
      } catch (error) {
        // Kept for the next tick (the storage banner says what is wrong with the file); never lost
        // silently, never blocking the engine.
        const now = this.#now();
        if (now - this.#writeFailedAt > 60_000) {
          this.#writeFailedAt = now;
          this.#logger.error('cannot store alarm transitions; they are kept in memory and tried again', { pending: this.#eventRows.length, error: String(error) });
        }
        if (this.#eventRows.length > 100_000) this.#eventRows.splice(0, this.#eventRows.length - 100_000);
      }
    }
    if (this.#changed.size > 0) {
      const changed = this.#changed;
      this.#changed = new Map();
      const max = this.#options.maxChangedPerEvent ?? 200;
      const resync = changed.size > max;
      this.#options.onChanged?.({ alarms: resync ? [] : [...changed.values()].map((record) => this.#view(record)), resync, counts: this.counts() });
    }
    if (this.#raisedCount > 0) {
      const alarms = ALARM_SEVERITIES.flatMap((severity) => this.#raised[severity])
        .slice(0, RAISED_PER_EVENT)
        .map((record) => this.#view(record));
      const count = this.#raisedCount;
      const counts = this.#raisedCounts;
      this.#raised = { critical: [], high: [], medium: [], low: [] };
      this.#raisedCount = 0;
      this.#raisedCounts = emptyCounts();
      this.#options.onRaised?.({ alarms, count, counts });
      this.#notifier.notify(alarms, count, counts);
    }
  }

  // ---- What the calls see -----------------------------------------------------------------------

  #view(record: AlarmRecord): AlarmView {
    const shelf = this.#shelves.get(record.ruleId);
    const shelved = shelf !== undefined && record.state !== 'cleared';
    return {
      ...record,
      message: { ...record.message },
      shelvedUntil: shelved ? shelf.until : null,
      shelvedBy: shelved ? shelf.by : null,
      shelveReason: shelved ? shelf.reason : null,
    };
  }

  /** Unacknowledged alarms (active, or cleared but not yet seen) per severity, shelved ones left out. */
  counts(): SeverityCounts {
    const counts = emptyCounts();
    const now = this.#now();
    for (const record of this.#byId.values()) {
      if ((record.state === 'active' || record.state === 'clearedUnacknowledged') && !this.#isShelved(record.ruleId, now)) counts[record.severity]++;
    }
    return counts;
  }

  /** Alarms not yet over, worst and newest first. */
  active(): { alarms: AlarmView[]; counts: SeverityCounts } {
    const alarms = [...this.#byId.values()]
      .sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || b.raisedAt - a.raisedAt)
      .map((record) => this.#view(record));
    return { alarms, counts: this.counts() };
  }

  history(query: HistoryQuery): { entries: AlarmHistoryEntry[]; truncated: boolean } {
    if (query.to < query.from) {
      throw new AppError('invalid_input', 'error.rangeInvalid', {
        params: { from: new Date(query.from).toISOString(), to: new Date(query.to).toISOString() },
      });
    }
    this.flush();
    return this.#store.history(query);
  }

  /** Acknowledges alarms; those already over (or unknown) are skipped. Returns how many changed. */
  acknowledge(ids: readonly number[], actor: string, comment?: string): number {
    const now = this.#now();
    let count = 0;
    for (const id of new Set(ids)) {
      const record = this.#byId.get(id);
      if (!record) continue;
      if (record.state === 'active') record.state = 'acknowledged';
      else if (record.state === 'clearedUnacknowledged') this.#close(record);
      else continue;
      record.acknowledgedAt = now;
      record.acknowledgedBy = actor;
      this.#transition(record, now, 'acknowledged', actor, comment?.trim() || null);
      count++;
    }
    this.flush();
    return count;
  }

  #record(id: number): AlarmRecord {
    const record = this.#byId.get(id);
    if (!record) throw new AppError('not_found', 'error.alarmNotFound', { params: { id } });
    return record;
  }

  /** Shelves the rule of an alarm for `minutes`: hidden from counts, no notifications, back by itself. */
  shelve(id: number, minutes: number, reason: string, actor: string): AlarmView {
    const record = this.#record(id);
    const now = this.#now();
    const shelf: Shelf = { ruleId: record.ruleId, until: now + minutes * 60_000, by: actor, reason: reason.trim(), at: now };
    this.#store.saveShelf(shelf);
    this.#shelves.set(record.ruleId, shelf);
    this.#transition(record, now, 'shelved', actor, shelf.reason);
    this.flush();
    return this.#view(record);
  }

  unshelve(id: number, actor: string): AlarmView {
    const record = this.#record(id);
    if (this.#shelves.has(record.ruleId)) this.#endShelf(record.ruleId, this.#now(), actor);
    this.flush();
    return this.#view(record);
  }

  // ---- Rules ------------------------------------------------------------------------------------

  rules(): AlarmRule[] {
    return this.#rules.map((rule) => structuredClone(rule));
  }

  /** Creates or replaces a rule (its point or device must exist); it applies from the next sample. */
  saveRule(rule: AlarmRule): AlarmRule {
    this.saveRules([rule]);
    return structuredClone(rule);
  }

  /** Creates or replaces several rules in one transaction (a template's), all or none. */
  saveRules(rules: readonly AlarmRule[]): void {
    for (const rule of rules) {
      if (rule.kind === 'disconnected') {
        if (this.#options.deviceName && this.#options.deviceName(rule.deviceId) === undefined) {
          throw new AppError('not_found', 'error.alarmRuleDevice', { params: { rule: rule.id, device: rule.deviceId } });
        }
      } else if (this.#options.pointById && this.#options.pointById(rule.pointId) === undefined) {
        throw new AppError('not_found', 'error.alarmRulePoint', { params: { rule: rule.id, point: rule.pointId } });
      }
    }
    const now = this.#now();
    this.#options.db.transaction(() => {
      for (const rule of rules) this.#store.saveRule(rule, now);
    })();
    this.#reloadRules();
    this.flush();
  }

  deleteRule(id: string): boolean {
    const deleted = this.#store.deleteRule(id);
    if (deleted) {
      if (this.#shelves.has(id)) {
        this.#shelves.delete(id);
        this.#store.deleteShelf(id);
      }
      this.#reloadRules();
      this.flush();
    }
    return deleted;
  }

  // ---- Notifications ----------------------------------------------------------------------------

  #storedChannels(): StoredChannel[] {
    return this.#settings.read(NOTIFICATIONS_KEY, StoredChannelsSchema, []);
  }

  /** The robots, with addresses shortened and secrets only as "set". */
  notificationSettings(): NotificationSettingsView {
    return {
      channels: this.#storedChannels().map(({ url, secret, ...channel }) => ({ ...channel, url: maskWebhookUrl(url), hasSecret: Boolean(secret) })),
    };
  }

  /** Replaces the robots; one sent without url or secret keeps its stored one. */
  setNotificationSettings(inputs: readonly NotificationChannelInput[]): NotificationSettingsView {
    const stored = new Map(this.#storedChannels().map((channel) => [channel.id, channel]));
    const seen = new Set<string>();
    const channels: StoredChannel[] = inputs.map((raw) => {
      const input = NotificationChannelInputSchema.parse(raw);
      if (seen.has(input.id)) throw new AppError('invalid_input', 'error.notificationDuplicate', { params: { channel: input.id } });
      seen.add(input.id);
      const previous = stored.get(input.id);
      const url = input.url ?? previous?.url;
      if (!url) throw new AppError('invalid_input', 'error.notificationUrlMissing', { params: { channel: input.name } });
      const secret = input.secret === null ? undefined : (input.secret ?? previous?.secret);
      return {
        id: input.id,
        name: input.name,
        kind: input.kind,
        enabled: input.enabled,
        minSeverity: input.minSeverity,
        locale: input.locale,
        url,
        ...(secret ? { secret } : {}),
      };
    });
    this.#settings.write(NOTIFICATIONS_KEY, StoredChannelsSchema, channels);
    this.#notifier.setChannels(channels);
    return this.notificationSettings();
  }

  /** Sends a test message to one robot now (one attempt) and says, in `locale`, how it went. */
  async testNotification(channelId: string, locale: Locale): Promise<{ ok: boolean; detail: string }> {
    const channel = this.#storedChannels().find((candidate) => candidate.id === channelId);
    if (!channel) throw new AppError('not_found', 'error.notificationNotFound', { params: { channel: channelId } });
    const params = { kind: translate(locale, `alarms.webhook.${channel.kind}`), name: channel.name, host: webhookHost(channel.url) };
    try {
      await postWebhook(channel, translate(channel.locale, 'alarms.notify.test'));
      return { ok: true, detail: translate(locale, 'alarms.notify.testOk', params) };
    } catch (error) {
      const reason = error instanceof WebhookError ? (error.status === null ? error.message : `${error.message}, HTTP ${error.status}`) : 'cannot send';
      this.#logger.warn('alarm notification test failed', { channel: channel.name, kind: channel.kind, host: params.host, reason });
      return { ok: false, detail: translate(locale, 'alarms.notify.testFailed', { ...params, reason }) };
    }
  }

  /** Resolves once no robot message is queued or being sent (tests). */
  notificationsIdle(): Promise<void> {
    return this.#notifier.whenIdle();
  }

  get notifier(): AlarmNotifier {
    return this.#notifier;
  }

  /** Writes what is pending and stops the timer and the robots' queues. */
  close(): void {
    if (this.#closed) return;
    clearInterval(this.#timer);
    try {
      this.flush();
    } finally {
      this.#closed = true;
      this.#notifier.close();
    }
  }
}
