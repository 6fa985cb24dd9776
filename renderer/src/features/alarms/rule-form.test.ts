import { describe, expect, it } from 'vitest';
import { AlarmRuleSchema } from '../../../../shared/domain/alarms.ts';
import { draftFromRule, emptyDraft, parseStateValues, ruleFromDraft, suggestRuleId } from './rule-form.ts';

describe('the rule form', () => {
  it('turns a rule into texts and back unchanged, for every kind', () => {
    const rules = [
      { id: 'a', kind: 'limit', pointId: 'p', level: 'HH', limit: 290, deadband: 3, onDelayMs: 1500, severity: 'critical', message: { 'zh-CN': '高', en: 'high' } },
      { id: 'b', kind: 'rateOfChange', pointId: 'p', rate: 5, per: 'minute', direction: 'rise', deadband: 0.5, severity: 'high', message: { 'zh-CN': '快', en: 'fast' } },
      { id: 'c', kind: 'stuck', pointId: 'p', forMs: 600_000, tolerance: 0.1, severity: 'low', message: { 'zh-CN': '不变', en: 'stuck' } },
      { id: 'd', kind: 'state', pointId: 'p', values: [2, 'E-STOP'], severity: 'medium', offDelayMs: 2000, message: { 'zh-CN': '状态', en: 'state' } },
      { id: 'e', kind: 'disconnected', deviceId: 'plc', severity: 'critical', enabled: false, message: { 'zh-CN': '断线', en: 'offline' } },
    ].map((rule) => AlarmRuleSchema.parse(rule));
    for (const rule of rules) {
      const back = ruleFromDraft(draftFromRule(rule));
      expect(back).toEqual({ ok: true, rule });
    }
  });

  it('names the fields that are wrong, in the form\'s own terms', () => {
    const result = ruleFromDraft({ ...emptyDraft('limit'), id: 'x y', pointId: '', limit: 'abc', onDelayS: '-1', messageEn: '' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.limit).toEqual({ key: 'form.number' });
    expect(result.errors.id).toEqual({ key: 'form.idCharacters' });
    expect(result.errors.pointId).toEqual({ key: 'form.required' });
    expect(result.errors.onDelayS).toBeDefined();
    expect(result.errors.messageEn).toEqual({ key: 'form.required' });
  });

  it('reads state values as numbers where they are numbers', () => {
    expect(parseStateValues('2, 3，E-STOP; 4.5')).toEqual([2, 3, 'E-STOP', 4.5]);
  });

  it('suggests an id from what the rule watches, unique among the taken ones', () => {
    const draft = { ...emptyDraft('limit'), pointId: 'demo-imm1.barrelZone3', level: 'HH' as const };
    expect(suggestRuleId(draft, new Set())).toBe('demo-imm1.barrelZone3.HH');
    expect(suggestRuleId(draft, new Set(['demo-imm1.barrelZone3.HH']))).toBe('demo-imm1.barrelZone3.HH.2');
  });
});
