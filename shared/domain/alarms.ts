// Alarm rules as declarative data: what condition on which tag (or device) raises an alarm, how bad
// it is, and what it says in both languages. Templates ship rules in exactly this form; the core's
// engine (core/alarms) compiles them for evaluation on live samples.
import { z } from 'zod';

/** From worst to least bad; the UI colours and sorts by this order. */
export const ALARM_SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type AlarmSeverity = (typeof ALARM_SEVERITIES)[number];

/** The four classic limits: high-high, high, low, low-low. HH and H trip above, L and LL below. */
export const LIMIT_LEVELS = ['HH', 'H', 'L', 'LL'] as const;
export type LimitLevel = (typeof LIMIT_LEVELS)[number];

export const ALARM_RULE_KINDS = ['limit', 'rateOfChange', 'stuck', 'state', 'disconnected'] as const;
export type AlarmRuleKind = (typeof ALARM_RULE_KINDS)[number];

export const RATE_PERIODS = ['second', 'minute'] as const;
export type RatePeriod = (typeof RATE_PERIODS)[number];

export const RATE_DIRECTIONS = ['rise', 'fall', 'either'] as const;
export type RateDirection = (typeof RATE_DIRECTIONS)[number];

/**
 * Where an alarm is in its life: `active` (condition present, nobody acknowledged it),
 * `acknowledged` (condition present, seen), `clearedUnacknowledged` (condition gone, not yet seen),
 * `cleared` (gone and seen: the alarm is over and leaves the active list).
 */
export const ALARM_STATES = ['active', 'acknowledged', 'clearedUnacknowledged', 'cleared'] as const;
export type AlarmState = (typeof ALARM_STATES)[number];

/** What happened to an alarm, one row per transition in its history. */
export const ALARM_EVENT_KINDS = ['raised', 'acknowledged', 'cleared', 'shelved', 'unshelved'] as const;
export type AlarmEventKind = (typeof ALARM_EVENT_KINDS)[number];

export function isHighLimit(level: LimitLevel): boolean {
  return level === 'HH' || level === 'H';
}

const ruleId = z.string().min(1).max(100).regex(/^[A-Za-z0-9_.-]+$/, 'Use letters, digits, "_", "-" and "." only');
const tagId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/, 'Use letters, digits, "_", "-" and "." only');
const delayMs = z.number().int().min(0).max(86_400_000);

/**
 * The alarm's text in both languages. Placeholders: {{device}}, {{point}}, {{value}} (what tripped
 * it: the value, or the rate for a rate-of-change rule), {{limit}} and {{unit}}.
 * @example { 'zh-CN': '{{point}} 过高：{{value}} {{unit}}', en: '{{point}} high: {{value}} {{unit}}' }
 */
export const AlarmMessageSchema = z.object({
  'zh-CN': z.string().trim().min(1).max(300),
  en: z.string().trim().min(1).max(300),
});
export type AlarmMessage = z.infer<typeof AlarmMessageSchema>;

const common = {
  id: ruleId,
  severity: z.enum(ALARM_SEVERITIES),
  message: AlarmMessageSchema,
  enabled: z.boolean().default(true),
  /** The condition must hold this long before the alarm is raised (filters short spikes). */
  onDelayMs: delayMs.default(0),
  /** The condition must be gone this long before the alarm clears (filters chattering). */
  offDelayMs: delayMs.default(0),
};

/** Above (HH, H) or below (L, LL) a limit; clears only once the value is back past the deadband. */
export const LimitRuleSchema = z.object({
  ...common,
  kind: z.literal('limit'),
  pointId: tagId,
  level: z.enum(LIMIT_LEVELS),
  limit: z.number().finite(),
  deadband: z.number().finite().min(0).default(0),
});

/** The value changes faster than `rate` units per second or minute, between consecutive samples. */
export const RateOfChangeRuleSchema = z.object({
  ...common,
  kind: z.literal('rateOfChange'),
  pointId: tagId,
  rate: z.number().finite().positive(),
  per: z.enum(RATE_PERIODS),
  direction: z.enum(RATE_DIRECTIONS).default('either'),
  deadband: z.number().finite().min(0).default(0),
});

/** The value has not moved by more than `tolerance` for `forMs` (a frozen sensor or PLC). */
export const StuckRuleSchema = z.object({
  ...common,
  kind: z.literal('stuck'),
  pointId: tagId,
  forMs: z.number().int().min(1000).max(7 * 86_400_000),
  tolerance: z.number().finite().min(0).default(0),
});

/** The value equals one of `values` (a state code such as 2 = alarm, or a text). */
export const StateRuleSchema = z.object({
  ...common,
  kind: z.literal('state'),
  pointId: tagId,
  values: z.array(z.union([z.number().finite(), z.string().max(100)])).min(1).max(50),
});

/** The device stops answering (disconnected or quarantined). Replaces the automatic alarm for it. */
export const DisconnectedRuleSchema = z.object({
  ...common,
  kind: z.literal('disconnected'),
  deviceId: tagId,
});

export const AlarmRuleSchema = z.discriminatedUnion('kind', [
  LimitRuleSchema,
  RateOfChangeRuleSchema,
  StuckRuleSchema,
  StateRuleSchema,
  DisconnectedRuleSchema,
]);
export type AlarmRule = z.infer<typeof AlarmRuleSchema>;
export type AlarmRuleInput = z.input<typeof AlarmRuleSchema>;

/** A list of rules as a template ships them: ids unique within the list. */
export const AlarmRuleListSchema = z.array(AlarmRuleSchema).superRefine((rules, context) => {
  const seen = new Set<string>();
  rules.forEach((rule, index) => {
    if (seen.has(rule.id)) context.addIssue({ code: 'custom', path: [index, 'id'], message: `Duplicate rule id "${rule.id}"` });
    seen.add(rule.id);
  });
});

/** Values a message can be filled with. */
export interface AlarmMessageParams {
  device?: string;
  point?: string;
  value?: string | number;
  limit?: string | number;
  unit?: string;
}

/** A number as an alarm text shows it: at most 2 decimals, no trailing zeros. */
export function formatAlarmNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return String(Math.round(value * 100) / 100);
}

/**
 * Fills a message's placeholders; unknown placeholders stay as they are.
 * @example renderAlarmMessage('{{point}} > {{limit}} {{unit}}', { point: 'Zone 3', limit: 255, unit: '°C' }) // 'Zone 3 > 255 °C'
 */
export function renderAlarmMessage(template: string, params: AlarmMessageParams): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
    const value = (params as Record<string, string | number | undefined>)[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? formatAlarmNumber(value) : value;
  });
}

/** Severity order for sorting: critical first. */
export function severityRank(severity: AlarmSeverity): number {
  return ALARM_SEVERITIES.indexOf(severity);
}
