// Calls and events of alarms: the active list and its history, acknowledging and shelving (who and
// when is recorded from the caller), the rules (engineers edit them; templates ship them), the group
// robots alarms are sent to (WeCom, DingTalk, Feishu; admin only, secrets never returned), and the
// demo plant's way to cause an alarm. The core serves them from core/alarms.
import { z } from 'zod';
import {
  ALARM_EVENT_KINDS,
  ALARM_RULE_KINDS,
  ALARM_SEVERITIES,
  ALARM_STATES,
  AlarmMessageSchema,
  AlarmRuleSchema,
} from '../domain/alarms.ts';
import { LOCALES } from '../i18n/index.ts';
import { defineCall, defineEvent } from './define.ts';

const empty = z.object({}).strict();
const alarmId = z.number().int().min(1);

/** Count of alarms per severity. */
export const SeverityCountsSchema = z.object({
  critical: z.number().int().min(0),
  high: z.number().int().min(0),
  medium: z.number().int().min(0),
  low: z.number().int().min(0),
});
export type SeverityCounts = z.infer<typeof SeverityCountsSchema>;

/** One alarm as the active list shows it. */
export const AlarmViewSchema = z.object({
  id: alarmId,
  ruleId: z.string(),
  kind: z.enum(ALARM_RULE_KINDS),
  /** Raised by the automatic communication-loss rule every device has, not by a stored rule. */
  automatic: z.boolean(),
  severity: z.enum(ALARM_SEVERITIES),
  state: z.enum(ALARM_STATES),
  deviceId: z.string().nullable(),
  pointId: z.string().nullable(),
  deviceName: z.string().nullable(),
  pointName: z.string().nullable(),
  /** The rule's message filled with the values that raised it, in both languages. */
  message: AlarmMessageSchema,
  /** What raised it: the value (or the rate, for a rate-of-change rule); null for a device alarm. */
  value: z.union([z.number(), z.string(), z.null()]),
  raisedAt: z.number().int(),
  acknowledgedAt: z.number().int().nullable(),
  acknowledgedBy: z.string().nullable(),
  clearedAt: z.number().int().nullable(),
  /** While shelved: until when; the alarm is hidden from counts and sends no notification. */
  shelvedUntil: z.number().int().nullable(),
  shelvedBy: z.string().nullable(),
  shelveReason: z.string().nullable(),
});
export type AlarmView = z.infer<typeof AlarmViewSchema>;

/** One transition in an alarm's history: what happened, who did it (or "system"), when. */
export const AlarmHistoryEntrySchema = z.object({
  id: z.number().int(),
  alarmId,
  ts: z.number().int(),
  event: z.enum(ALARM_EVENT_KINDS),
  /** The alarm's state after this transition. */
  state: z.enum(ALARM_STATES),
  ruleId: z.string(),
  severity: z.enum(ALARM_SEVERITIES),
  deviceId: z.string().nullable(),
  pointId: z.string().nullable(),
  deviceName: z.string().nullable(),
  pointName: z.string().nullable(),
  message: AlarmMessageSchema,
  value: z.union([z.number(), z.string(), z.null()]),
  /** Who: "system" for transitions the engine made, else the caller and their role. */
  actor: z.string(),
  /** The acknowledgement's comment or the shelving reason. */
  comment: z.string().nullable(),
});
export type AlarmHistoryEntry = z.infer<typeof AlarmHistoryEntrySchema>;

/** The group robots an alarm can be sent to. */
export const WEBHOOK_KINDS = ['wecom', 'dingtalk', 'feishu'] as const;
export type WebhookKind = (typeof WEBHOOK_KINDS)[number];

const channelId = z.string().min(1).max(40).regex(/^[A-Za-z0-9_.-]+$/, 'Use letters, digits, "_", "-" and "." only');
const webhookUrl = z
  .string()
  .trim()
  .max(2000)
  .regex(/^https?:\/\/[^\s/?#]+[^\s]*$/i, 'Enter the robot\'s full webhook address, starting with https://');

const channelCommon = {
  id: channelId,
  name: z.string().trim().min(1).max(100),
  kind: z.enum(WEBHOOK_KINDS),
  enabled: z.boolean().default(true),
  /** Alarms of this severity and worse are sent. */
  minSeverity: z.enum(ALARM_SEVERITIES).default('high'),
  /** The language of the messages sent to this group. */
  locale: z.enum(LOCALES).default('zh-CN'),
};

/** A robot as `alarmNotifications.get` shows it: the address shortened, the secret only as "set". */
export const NotificationChannelViewSchema = z.object({
  ...channelCommon,
  enabled: z.boolean(),
  minSeverity: z.enum(ALARM_SEVERITIES),
  locale: z.enum(LOCALES),
  /** The webhook address with its token shortened ("…?key=73fe…"). */
  url: z.string(),
  hasSecret: z.boolean(),
});
export type NotificationChannelView = z.infer<typeof NotificationChannelViewSchema>;

/** A robot as `alarmNotifications.set` takes it: leave out `url` or `secret` to keep the stored one. */
export const NotificationChannelInputSchema = z
  .object({
    ...channelCommon,
    url: webhookUrl.optional(),
    /** The signing secret (DingTalk "加签", Feishu "签名校验"); null removes it. */
    secret: z.string().trim().min(1).max(200).nullable().optional(),
  })
  .strict();
export type NotificationChannelInput = z.input<typeof NotificationChannelInputSchema>;

export const NotificationSettingsViewSchema = z.object({ channels: z.array(NotificationChannelViewSchema) });
export type NotificationSettingsView = z.infer<typeof NotificationSettingsViewSchema>;

/** Ways the demo plant can be told to misbehave; 'normal' ends them all. */
export const DEMO_ALARM_SCENARIOS = ['barrelOverheat', 'normal'] as const;
export type DemoAlarmScenario = (typeof DEMO_ALARM_SCENARIOS)[number];

export const alarmCalls = {
  'alarms.active': defineCall({
    summary: 'Alarms that are active or not yet acknowledged (shelved ones included), worst first, with the unacknowledged count per severity.',
    role: 'viewer',
    input: empty,
    output: z.object({ alarms: z.array(AlarmViewSchema), counts: SeverityCountsSchema }),
  }),
  'alarms.history': defineCall({
    summary: 'Alarm transitions (raised, acknowledged, cleared, shelved, unshelved) in a time range, newest first, filtered by severity, device, state after the transition and text.',
    role: 'viewer',
    input: z
      .object({
        from: z.number().int().min(0),
        to: z.number().int().min(0),
        severity: z.enum(ALARM_SEVERITIES).optional(),
        deviceId: z.string().max(64).optional(),
        state: z.enum(ALARM_STATES).optional(),
        text: z.string().max(200).optional(),
        limit: z.number().int().min(1).max(5000).default(500),
      })
      .strict(),
    output: z.object({ entries: z.array(AlarmHistoryEntrySchema), truncated: z.boolean() }),
  }),
  'alarms.acknowledge': defineCall({
    summary: 'Acknowledges alarms (recording who, when and the comment); ids of alarms already over are skipped.',
    role: 'operator',
    input: z.object({ ids: z.array(alarmId).min(1).max(10_000), comment: z.string().trim().max(500).optional() }).strict(),
    output: z.object({ acknowledged: z.number().int().min(0) }),
  }),
  'alarms.shelve': defineCall({
    summary: 'Shelves an alarm\'s rule for some minutes with a reason: hidden from counts, no notifications, then it comes back by itself.',
    role: 'operator',
    input: z
      .object({ id: alarmId, minutes: z.number().int().min(1).max(7 * 24 * 60), reason: z.string().trim().min(1).max(500) })
      .strict(),
    output: AlarmViewSchema,
  }),
  'alarms.unshelve': defineCall({
    summary: 'Ends the shelving of an alarm before its time.',
    role: 'operator',
    input: z.object({ id: alarmId }).strict(),
    output: AlarmViewSchema,
  }),
  'alarmRules.list': defineCall({
    summary: 'The stored alarm rules (every device also has an automatic communication-loss alarm unless a rule of kind "disconnected" replaces it).',
    role: 'viewer',
    input: empty,
    output: z.object({ rules: z.array(AlarmRuleSchema) }),
  }),
  'alarmRules.save': defineCall({
    summary: 'Creates a rule or replaces the one with the same id; takes effect on the next sample.',
    role: 'engineer',
    input: z.object({ rule: AlarmRuleSchema }).strict(),
    output: AlarmRuleSchema,
  }),
  'alarmRules.delete': defineCall({
    summary: 'Deletes a rule; an alarm it raised is cleared.',
    role: 'engineer',
    input: z.object({ id: z.string().min(1).max(100) }).strict(),
    output: z.object({ deleted: z.boolean() }),
  }),
  'alarmNotifications.get': defineCall({
    summary: 'The group robots (WeCom, DingTalk, Feishu) alarms are sent to; addresses shortened, secrets never returned.',
    role: 'admin',
    input: empty,
    output: NotificationSettingsViewSchema,
  }),
  'alarmNotifications.set': defineCall({
    summary: 'Replaces the list of group robots; a robot sent without url or secret keeps its stored one.',
    role: 'admin',
    input: z.object({ channels: z.array(NotificationChannelInputSchema).max(10) }).strict(),
    output: NotificationSettingsViewSchema,
  }),
  'alarmNotifications.test': defineCall({
    summary: 'Sends a test message to one robot now and says whether it arrived.',
    role: 'admin',
    input: z.object({ channelId }).strict(),
    output: z.object({ ok: z.boolean(), detail: z.string() }),
  }),
  'demo.causeAlarm': defineCall({
    summary: 'Makes the demo plant misbehave (the moulding machine\'s barrel zone 3 overheats) or go back to normal.',
    role: 'engineer',
    input: z.object({ scenario: z.enum(DEMO_ALARM_SCENARIOS) }).strict(),
    output: z.object({ scenario: z.enum(DEMO_ALARM_SCENARIOS) }),
  }),
} as const;

export const alarmEvents = {
  'alarms.changed': defineEvent({
    summary:
      'Alarms changed state (raised, acknowledged, cleared, shelved), batched at most four times a second; `resync` says too many changed at once: read alarms.active again.',
    payload: z.object({ alarms: z.array(AlarmViewSchema), resync: z.boolean(), counts: SeverityCountsSchema }),
  }),
  'alarms.raised': defineEvent({
    summary: 'New alarms (not shelved or suppressed), batched: the first few in full and how many there were, for notifications.',
    payload: z.object({ alarms: z.array(AlarmViewSchema), count: z.number().int().min(0), counts: SeverityCountsSchema }),
  }),
} as const;

export type AlarmCalls = typeof alarmCalls;
export type AlarmCallName = keyof AlarmCalls;
export type AlarmCallInput<Name extends AlarmCallName> = z.input<AlarmCalls[Name]['input']>;
export type AlarmCallOutput<Name extends AlarmCallName> = z.output<AlarmCalls[Name]['output']>;
export type AlarmEvents = typeof alarmEvents;
export type AlarmEventName = keyof AlarmEvents;
export type AlarmEventPayload<Name extends AlarmEventName> = z.output<AlarmEvents[Name]['payload']>;
