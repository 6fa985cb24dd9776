// The state of one stored KPI's value over a period as its widgets see it (kpis.value), and how each
// read changes it: an unchanged answer keeps the state identical (nothing redraws), a failed read
// keeps the last value on screen, and a KPI that was deleted says so instead of "not available".
import type { KpiResult } from '../../../../shared/contract/kpi-calls.ts';
import type { ErrorBody } from '../../../../shared/errors.ts';
import { formatNumber } from '../../format/format-value.ts';
import type { OptionalResult } from './optional-call.ts';
import { replaceEqualDeep } from './structural-share.ts';

export type KpiValueStatus = 'loading' | 'ready' | 'unavailable' | 'missing' | 'failed';

export interface KpiValueFeed {
  status: KpiValueStatus;
  /** The last answer that came; kept on screen while a later read fails. */
  result: KpiResult | null;
  /** Why the last read failed, in the UI language. */
  error: string | null;
}

/** A read's outcome: the call's, or 'missing' when the core says there is no such KPI. */
export type KpiValueOutcome = OptionalResult<KpiResult> | { kind: 'missing' };

export const LOADING_KPI_VALUE: KpiValueFeed = { status: 'loading', result: null, error: null };

/** The key of one KPI over one period. */
export const kpiValueKey = (kpiId: string, period: string) => `${period}|${kpiId}`;

export function nextKpiValueFeed(previous: KpiValueFeed, outcome: KpiValueOutcome): KpiValueFeed {
  switch (outcome.kind) {
    case 'unavailable':
    case 'missing': {
      const status = outcome.kind;
      return previous.status === status ? previous : { status, result: null, error: null };
    }
    case 'failed':
      return previous.status === 'failed' && previous.error === outcome.message ? previous : { ...previous, status: 'failed', error: outcome.message };
    case 'ok': {
      // computedAt changes at every read; only a changed figure should redraw.
      const result = replaceEqualDeep(previous.result, { ...outcome.value, computedAt: previous.result?.computedAt ?? outcome.value.computedAt });
      if (result === previous.result && previous.status === 'ready') return previous;
      return { status: 'ready', result, error: null };
    }
  }
}

/**
 * Whether a failed kpis.value says the KPI itself is gone: not_found with the KPI's id in the details.
 * A core that does not know the call also answers not_found, without them.
 */
export function isMissingKpi(body: ErrorBody, kpiId: string): boolean {
  return body.code === 'not_found' && (body.details as { kpiId?: unknown } | undefined)?.kpiId === kpiId;
}

/** Gauge bands from a KPI's target: good from the target on, amber within a tenth of the dial before it, red beyond. */
export function targetBands(
  target: number | null,
  goodDirection: KpiResult['goodDirection'],
  min: number,
  max: number,
): { warn: number; good: number; lowerIsBetter: boolean } | undefined {
  if (target === null) return undefined;
  const margin = (max - min) / 10;
  const lowerIsBetter = goodDirection === 'lower';
  return { good: target, warn: lowerIsBetter ? target + margin : target - margin, lowerIsBetter };
}

/** A KPI's value as written on a tile: the definition's decimals unless the widget gives its own; null without a value. */
export function kpiValueText(result: Pick<KpiResult, 'value' | 'decimals'>, locale: string, decimals?: number): string | null {
  return result.value === null ? null : formatNumber(result.value, decimals ?? result.decimals, locale);
}
