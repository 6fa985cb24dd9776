// The rule editor's form: a rule as texts the user types (seconds, minutes, comma-separated states)
// and back. The contract's schema judges the result, so the form refuses what the core would refuse.
import {
  AlarmRuleSchema,
  type AlarmRule,
  type AlarmRuleKind,
  type AlarmSeverity,
  type LimitLevel,
  type RateDirection,
  type RatePeriod,
} from '../../../../shared/domain/alarms.ts';
import { parseNumberText, schemaErrors, type FieldErrors } from '../../validation/schema-errors.ts';

export interface RuleDraft {
  id: string;
  isNew: boolean;
  kind: AlarmRuleKind;
  pointId: string;
  deviceId: string;
  severity: AlarmSeverity;
  enabled: boolean;
  onDelayS: string;
  offDelayS: string;
  level: LimitLevel;
  limit: string;
  deadband: string;
  rate: string;
  per: RatePeriod;
  direction: RateDirection;
  forMinutes: string;
  tolerance: string;
  values: string;
  messageZh: string;
  messageEn: string;
}

/** Default texts per kind, with placeholders the core fills in. */
export const DEFAULT_MESSAGES: Record<AlarmRuleKind, { zh: string; en: string }> = {
  limit: { zh: '{{device}}：{{point}}超限，{{value}} {{unit}}（限值 {{limit}} {{unit}}）', en: '{{device}}: {{point}} out of limits, {{value}} {{unit}} (limit {{limit}} {{unit}})' },
  rateOfChange: { zh: '{{device}}：{{point}}变化过快（{{value}} {{unit}}）', en: '{{device}}: {{point}} changing too fast ({{value}} {{unit}})' },
  stuck: { zh: '{{device}}：{{point}}长时间不变（{{value}} {{unit}}）', en: '{{device}}: {{point}} has not changed ({{value}} {{unit}})' },
  state: { zh: '{{device}}：{{point}}为 {{value}}', en: '{{device}}: {{point}} is {{value}}' },
  disconnected: { zh: '{{device}}：通信中断', en: '{{device}}: no communication' },
};

const text = (value: number) => String(value);

export function emptyDraft(kind: AlarmRuleKind = 'limit'): RuleDraft {
  return {
    id: '',
    isNew: true,
    kind,
    pointId: '',
    deviceId: '',
    severity: 'high',
    enabled: true,
    onDelayS: '0',
    offDelayS: '0',
    level: 'H',
    limit: '',
    deadband: '0',
    rate: '',
    per: 'second',
    direction: 'either',
    forMinutes: '10',
    tolerance: '0',
    values: '',
    messageZh: DEFAULT_MESSAGES[kind].zh,
    messageEn: DEFAULT_MESSAGES[kind].en,
  };
}

export function draftFromRule(rule: AlarmRule): RuleDraft {
  const draft: RuleDraft = {
    ...emptyDraft(rule.kind),
    id: rule.id,
    isNew: false,
    severity: rule.severity,
    enabled: rule.enabled,
    onDelayS: text(rule.onDelayMs / 1000),
    offDelayS: text(rule.offDelayMs / 1000),
    messageZh: rule.message['zh-CN'],
    messageEn: rule.message.en,
  };
  switch (rule.kind) {
    case 'limit':
      return { ...draft, pointId: rule.pointId, level: rule.level, limit: text(rule.limit), deadband: text(rule.deadband) };
    case 'rateOfChange':
      return { ...draft, pointId: rule.pointId, rate: text(rule.rate), per: rule.per, direction: rule.direction, deadband: text(rule.deadband) };
    case 'stuck':
      return { ...draft, pointId: rule.pointId, forMinutes: text(rule.forMs / 60_000), tolerance: text(rule.tolerance) };
    case 'state':
      return { ...draft, pointId: rule.pointId, values: rule.values.join(', ') };
    case 'disconnected':
      return { ...draft, deviceId: rule.deviceId };
  }
}

/** A rule id from what it watches: "demo-imm1.barrelZone3.H", made unique against `taken`. */
export function suggestRuleId(draft: RuleDraft, taken: ReadonlySet<string>): string {
  const subject = draft.kind === 'disconnected' ? draft.deviceId : draft.pointId;
  const suffix = draft.kind === 'limit' ? draft.level : draft.kind;
  const base = `${subject || 'rule'}.${suffix}`.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 90);
  let candidate = base;
  for (let index = 2; taken.has(candidate); index++) candidate = `${base}.${index}`;
  return candidate;
}

/** State values as typed: numbers where they read as numbers, texts otherwise. */
export function parseStateValues(typed: string): (number | string)[] {
  return typed
    .split(/[,，;；]/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => (/^[-+]?\d+(\.\d+)?$/.test(part) ? Number(part) : part));
}

/** The rule the form describes, or the problems per field (named as the draft's fields). */
export function ruleFromDraft(draft: RuleDraft): { ok: true; rule: AlarmRule } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const number = (field: keyof RuleDraft, scale = 1): number => {
    const parsed = parseNumberText(String(draft[field]));
    if (!parsed.ok) {
      errors[field] = parsed.error;
      return Number.NaN;
    }
    return parsed.value * scale;
  };
  const base = {
    id: draft.id.trim(),
    severity: draft.severity,
    enabled: draft.enabled,
    onDelayMs: Math.round(number('onDelayS', 1000)),
    offDelayMs: Math.round(number('offDelayS', 1000)),
    message: { 'zh-CN': draft.messageZh, en: draft.messageEn },
  };
  let candidate: unknown;
  switch (draft.kind) {
    case 'limit':
      candidate = { ...base, kind: 'limit', pointId: draft.pointId, level: draft.level, limit: number('limit'), deadband: number('deadband') };
      break;
    case 'rateOfChange':
      candidate = { ...base, kind: 'rateOfChange', pointId: draft.pointId, rate: number('rate'), per: draft.per, direction: draft.direction, deadband: number('deadband') };
      break;
    case 'stuck':
      candidate = { ...base, kind: 'stuck', pointId: draft.pointId, forMs: Math.round(number('forMinutes', 60_000)), tolerance: number('tolerance') };
      break;
    case 'state':
      candidate = { ...base, kind: 'state', pointId: draft.pointId, values: parseStateValues(draft.values) };
      break;
    case 'disconnected':
      candidate = { ...base, kind: 'disconnected', deviceId: draft.deviceId };
      break;
  }
  const parsed = AlarmRuleSchema.safeParse(candidate);
  if (!parsed.success) {
    // Back to the form's own field names.
    const rename: Record<string, keyof RuleDraft> = {
      onDelayMs: 'onDelayS',
      offDelayMs: 'offDelayS',
      forMs: 'forMinutes',
      'message.zh-CN': 'messageZh',
      'message.en': 'messageEn',
    };
    for (const [path, message] of Object.entries(schemaErrors(AlarmRuleSchema, candidate, parsed.error.issues))) {
      const field = rename[path] ?? path.split('.')[0]!;
      errors[field] ??= message;
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, rule: parsed.data };
}
