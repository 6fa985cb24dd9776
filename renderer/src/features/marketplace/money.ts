// Prices as a plant manager reads them: yuan from the cloud's fen (¥1,234.50), and each price plan
// of a template in one line (a trial's days, a subscription's monthly and yearly price, a
// pay-after-use unit price and credit limit, a pay-for-results share).
import type { PricePlan } from '../../../../shared/cloud/catalogue.ts';
import type { LocalisedText } from '../../../../shared/cloud/common.ts';
import { KNOWN_METERS, KNOWN_OUTCOME_METRICS, smallestUnitOf } from '../../../../shared/domain/metered-units.ts';

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

/**
 * A quantity price in the unit a manifest names: '¥0.50 per kWh', '¥2.00 per 1,000 parts'. The price
 * is per `per` smallest units (Wh for kWh: shared/domain/metered-units.ts).
 */
export function formatUnitPrice(price: { amount: number; per: number }, unit: string, t: PlanTranslate): string {
  const amount = formatFen(price.amount);
  const { perUnit } = smallestUnitOf(unit);
  const per = price.per % perUnit === 0 ? price.per / perUnit : price.per;
  const shownUnit = per === price.per ? smallestUnitOf(unit).unit : unit;
  return per === 1 ? t('store.price.perOne', { amount, unit: shownUnit }) : t('store.price.perMany', { amount, per: grouping.format(per), unit: shownUnit });
}

/** The unit a meter or metric counts in: the manifest's when known, else what this PlantDesk records for it. */
export function meteredUnit(kind: 'meter' | 'metric', id: string, units: UnitsById, t: PlanTranslate): string {
  return units[id] ?? (kind === 'meter' ? KNOWN_METERS : KNOWN_OUTCOME_METRICS)[id] ?? t('store.price.unit');
}

/** A meter's, metric's or baseline method's name in the UI language; one this UI does not know shows as its id. */
export function meteredName(kind: 'meter' | 'metric' | 'method', id: string, t: PlanTranslate): string {
  const key = `store.${kind}.${id}`;
  const text = t(key);
  return text === key ? id : text;
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
        price: formatUnitPrice(plan.unitPrice, meteredUnit('meter', plan.meter, units, t), t),
        meter: meteredName('meter', plan.meter, t),
        limit: formatFen(plan.creditLimit),
      });
    case 'pay_for_results':
      return t('store.price.payForResults', {
        share: formatShare(plan.shareBasisPoints),
        metric: meteredName('metric', plan.metric, t),
        value: formatUnitPrice(plan.unitValue, meteredUnit('metric', plan.metric, units, t), t),
      });
  }
}

/** The periods a subscription can be bought for, monthly first. */
export function subscriptionPeriods(plan: PricePlan): ('monthly' | 'yearly')[] {
  if (plan.kind !== 'subscription') return [];
  return [...(plan.monthly !== undefined ? (['monthly'] as const) : []), ...(plan.yearly !== undefined ? (['yearly'] as const) : [])];
}
