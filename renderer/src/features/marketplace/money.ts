// Prices as a plant manager reads them: yuan from the cloud's fen (¥1,234.50), and each price plan
// of a template in one line (a trial's days, a subscription's monthly and yearly price, a
// pay-after-use unit price and credit limit, a pay-for-results share).
import type { PricePlan } from '../../../../shared/cloud/catalogue.ts';
import type { LocalisedText } from '../../../../shared/cloud/common.ts';

const grouping = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/**
 * An amount in fen as yuan with two decimals, the same in both languages.
 * @example formatFen(123450) // → '¥1,234.50'
 */
export function formatFen(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const whole = Math.abs(Math.round(fen));
  const yuan = Math.floor(whole / 100);
  const cents = String(whole % 100).padStart(2, '0');
  return `${sign}¥${grouping.format(yuan)}.${cents}`;
}

/** A share in basis points as a percentage: 2500 → '25', 1250 → '12.5'. */
export function formatShare(basisPoints: number): string {
  return String(Math.round(basisPoints) / 100);
}

/** A text of the cloud in the UI language. */
export function localised(text: LocalisedText, language: string): string {
  return language.startsWith('en') ? text.en : text['zh-CN'];
}

/** The translate function price lines are written with (i18next's t at run time). */
export type PlanTranslate = (key: string, params?: Record<string, string | number>) => string;

/** What a meter or metric counts, when the manifest is known (`licence.meters[].unit`, `licence.outcome.unit`). */
export type UnitsById = Record<string, string>;

/** A quantity price: '¥0.50 per kWh', '¥2.00 per 1,000 parts'. */
export function formatUnitPrice(price: { amount: number; per: number }, unit: string, t: PlanTranslate): string {
  const amount = formatFen(price.amount);
  return price.per === 1 ? t('store.price.perOne', { amount, unit }) : t('store.price.perMany', { amount, per: grouping.format(price.per), unit });
}

/**
 * The price of a plan in one line of the UI language.
 * @example planPriceLine({ kind: 'subscription', monthly: 9900, yearly: 99000, … }, t) // → '¥99.00 a month · ¥990.00 a year'
 */
export function planPriceLine(plan: PricePlan, t: PlanTranslate, units: UnitsById = {}): string {
  switch (plan.kind) {
    case 'trial':
      return t('store.price.trial', { days: plan.days });
    case 'subscription': {
      const parts: string[] = [];
      if (plan.monthly !== undefined) parts.push(t('store.price.monthly', { amount: formatFen(plan.monthly) }));
      if (plan.yearly !== undefined) parts.push(t('store.price.yearly', { amount: formatFen(plan.yearly) }));
      return parts.join(' · ');
    }
    case 'pay_after_use':
      return t('store.price.payAfterUse', {
        price: formatUnitPrice(plan.unitPrice, units[plan.meter] ?? t('store.price.unit'), t),
        limit: formatFen(plan.creditLimit),
      });
    case 'pay_for_results':
      return t('store.price.payForResults', {
        share: formatShare(plan.shareBasisPoints),
        metric: plan.metric,
        value: formatUnitPrice(plan.unitValue, units[plan.metric] ?? t('store.price.unit'), t),
      });
  }
}

/** The periods a subscription can be bought for, monthly first. */
export function subscriptionPeriods(plan: PricePlan): ('monthly' | 'yearly')[] {
  if (plan.kind !== 'subscription') return [];
  return [...(plan.monthly !== undefined ? (['monthly'] as const) : []), ...(plan.yearly !== undefined ? (['yearly'] as const) : [])];
}
