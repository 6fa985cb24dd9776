// The live values of stored KPIs on dashboards: one `kpis.value` answer per KPI and period, read by
// the shared feed runner (feed-runner.ts) once for every widget that shows it, checked against the
// contract before any widget sees it.
import { useEffect } from 'react';
import { create } from 'zustand';
import { KpiResultSchema, type KpiPeriod } from '../../../../shared/contract/kpi-calls.ts';
import { CallFailedError } from '../../../../shared/contract/bridge.ts';
import { createFeedRunner } from './feed-runner.ts';
import { isMissingKpi, LOADING_KPI_VALUE, kpiValueKey, nextKpiValueFeed, type KpiValueFeed, type KpiValueOutcome } from './kpi-value-state.ts';
import { callByName, outcomeOfFailure } from './optional-call.ts';

export const KPI_VALUE_CALL = 'kpis.value';

interface KpiValuesState {
  feeds: Readonly<Record<string, KpiValueFeed>>;
}

export const useKpiValueFeeds = create<KpiValuesState>()(() => ({ feeds: {} }));

/** A stored KPI's value over the current period, as an outcome (never a rejection). */
export async function readKpiValue(kpiId: string, period: KpiPeriod): Promise<KpiValueOutcome> {
  let value: unknown;
  try {
    value = await callByName(KPI_VALUE_CALL, { kpiId, period });
  } catch (error) {
    if (error instanceof CallFailedError && isMissingKpi(error.body, kpiId)) return { kind: 'missing' };
    return outcomeOfFailure(error);
  }
  const parsed = KpiResultSchema.safeParse(value);
  if (parsed.success) return { kind: 'ok', value: parsed.data };
  console.warn('kpis.value answered with a value that does not fit the contract', parsed.error.issues);
  return { kind: 'failed', code: 'internal', message: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).slice(0, 3).join('; ') };
}

const kpiValues = createFeedRunner<string>(async (key, current) => {
  const [period, ...rest] = key.split('|');
  const outcome = await readKpiValue(rest.join('|'), period as KpiPeriod);
  if (!current()) return;
  const state = useKpiValueFeeds.getState();
  const previous = state.feeds[key] ?? LOADING_KPI_VALUE;
  const next = nextKpiValueFeed(previous, outcome);
  if (next !== previous) useKpiValueFeeds.setState({ feeds: { ...state.feeds, [key]: next } });
});

/** A stored KPI's value over the current period, kept fresh while the widget is on screen. */
export function useKpiValue(kpiId: string, period: KpiPeriod): KpiValueFeed {
  const key = kpiValueKey(kpiId, period);
  useEffect(() => kpiValues.acquire(key), [key]);
  return useKpiValueFeeds((state) => state.feeds[key] ?? LOADING_KPI_VALUE);
}
