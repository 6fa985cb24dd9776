// Where the KPI widgets get their figures: the KPI engine's `kpis.overview` (shared/contract/kpi-calls.ts),
// one answer per period, checked against the contract's schema before any widget sees it. Until the
// engine is part of the core, the call is unknown there and every KPI widget says "not available".
import { PlantOverviewSchema, type KpiPeriod, type PlantOverview } from '../../../../shared/contract/kpi-calls.ts';
import { callOptional, type OptionalResult } from './optional-call.ts';

export const OVERVIEW_CALL = 'kpis.overview';

/**
 * The input of kpis.overview: the period, and a time inside an earlier period (`at`) for the bars of
 * past shifts and days; without `at`, the period running now.
 */
export function overviewInput(period: KpiPeriod, at?: number): { period: KpiPeriod; at?: number } {
  return at === undefined ? { period } : { period, at };
}

/** The plant overview of a period, checked against the contract. */
export async function readOverview(period: KpiPeriod, at?: number): Promise<OptionalResult<PlantOverview>> {
  const result = await callOptional(OVERVIEW_CALL, overviewInput(period, at));
  if (result.kind !== 'ok') return result;
  const parsed = PlantOverviewSchema.safeParse(result.value);
  if (parsed.success) return { kind: 'ok', value: parsed.data };
  console.warn('kpis.overview answered with figures that do not fit the contract', parsed.error.issues);
  return { kind: 'failed', code: 'internal', message: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).slice(0, 3).join('; ') };
}
