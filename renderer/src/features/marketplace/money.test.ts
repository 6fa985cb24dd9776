import { describe, expect, it } from 'vitest';
import { PricePlanSchema } from '../../../../shared/cloud/catalogue.ts';
import { en, zhCN } from '../../../../shared/i18n/index.ts';
import { formatFen, formatShare, localised, planPriceLine, subscriptionPeriods, type PlanTranslate } from './money.ts';

/** A translate function over the app's real resources, as i18next renders them. */
function translator(resources: Record<string, string>): PlanTranslate {
  return (key, params = {}) => (resources[key] ?? key).replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(params[name]));
}
const tEn = translator(en);
const tZh = translator(zhCN);

const name = { 'zh-CN': '方案', en: 'Plan' };

describe('money', () => {
  it('shows fen as yuan with two decimals and thousands separators', () => {
    expect(formatFen(123450)).toBe('¥1,234.50');
    expect(formatFen(0)).toBe('¥0.00');
    expect(formatFen(5)).toBe('¥0.05');
    expect(formatFen(100)).toBe('¥1.00');
    expect(formatFen(123456789)).toBe('¥1,234,567.89');
    expect(formatFen(-2550)).toBe('-¥25.50');
  });

  it('shows shares in basis points as percentages', () => {
    expect(formatShare(2500)).toBe('25');
    expect(formatShare(1250)).toBe('12.5');
    expect(formatShare(10_000)).toBe('100');
  });

  it('picks the text of the UI language', () => {
    expect(localised(name, 'en')).toBe('Plan');
    expect(localised(name, 'zh-CN')).toBe('方案');
  });

  it('says every kind of plan in one line, in both languages', () => {
    const trial = PricePlanSchema.parse({ id: 'trial', name, kind: 'trial', days: 14 });
    expect(planPriceLine(trial, tEn)).toContain('14');
    expect(planPriceLine(trial, tZh)).toContain('14');

    const subscription = PricePlanSchema.parse({ id: 'pro', name, kind: 'subscription', currency: 'CNY', monthly: 9900, yearly: 99000 });
    expect(planPriceLine(subscription, tEn)).toBe('¥99.00 a month · ¥990.00 a year');
    expect(planPriceLine(subscription, tZh)).toContain('¥990.00');
    expect(subscriptionPeriods(subscription)).toEqual(['monthly', 'yearly']);
    const yearlyOnly = PricePlanSchema.parse({ id: 'y', name, kind: 'subscription', currency: 'CNY', yearly: 50000 });
    expect(planPriceLine(yearlyOnly, tEn)).toBe('¥500.00 a year');
    expect(subscriptionPeriods(yearlyOnly)).toEqual(['yearly']);

    const metered = PricePlanSchema.parse({ id: 'use', name, kind: 'pay_after_use', currency: 'CNY', meter: 'parts', unitPrice: { amount: 200, per: 1000 }, creditLimit: 500000 });
    expect(planPriceLine(metered, tEn, { parts: 'parts' })).toBe('¥2.00 per 1,000 parts (parts); credit limit ¥5,000.00');
    expect(planPriceLine(metered, tZh)).toContain('¥5,000.00');

    const results = PricePlanSchema.parse({ id: 'res', name, kind: 'pay_for_results', currency: 'CNY', metric: 'energy-saved', unitValue: { amount: 80, per: 1000 }, shareBasisPoints: 2500 });
    const line = planPriceLine(results, tEn, { 'energy-saved': 'kWh' });
    expect(line).toContain('25 %');
    expect(line).toContain('¥0.80 per kWh');
    expect(planPriceLine(results, tZh)).toContain('25');
    expect(subscriptionPeriods(results)).toEqual([]);
  });

  it('says the shipped meters and outcomes in words and units before a package is read, energy per kWh though stated in Wh', () => {
    const hours = PricePlanSchema.parse({ id: 'use', name, kind: 'pay_after_use', currency: 'CNY', meter: 'machine-hours', unitPrice: { amount: 30, per: 1 }, creditLimit: 60000 });
    expect(planPriceLine(hours, tEn)).toBe('¥0.30 per h (hours a machine is monitored); credit limit ¥600.00');
    expect(planPriceLine(hours, tZh)).toBe('¥0.30/h（设备监测小时）；信用额度 ¥600.00');
    const saved = PricePlanSchema.parse({ id: 'res', name, kind: 'pay_for_results', currency: 'CNY', metric: 'kwh-saved', unitValue: { amount: 70, per: 1000 }, shareBasisPoints: 2000 });
    expect(planPriceLine(saved, tEn)).toBe('20 % of the value of energy saved (¥0.70 per kWh)');
    expect(planPriceLine(saved, tZh)).toContain('节约电量');
    expect(planPriceLine(saved, tEn, { 'kwh-saved': 'kWh' })).toContain('¥0.70 per kWh');
    // A price not a whole number of kWh stays in the unit it was set in.
    const odd = PricePlanSchema.parse({ ...saved, unitValue: { amount: 7, per: 100 } });
    expect(planPriceLine(odd, tEn)).toContain('¥0.07 per 100 Wh');
  });
});
