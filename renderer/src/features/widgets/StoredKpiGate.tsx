// Shows a stored KPI's tile or gauge once its value is there; until then, and when the KPI is gone,
// cannot be computed or has no data yet in the period, a sentence that says so and what to do.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { KpiPeriod, KpiResult } from '../../../../shared/contract/kpi-calls.ts';
import { pickLocale } from '../../../../shared/i18n/index.ts';
import { useKpiValue } from './kpi-value-feed.ts';
import { periodWord } from './widget-text.ts';
import { WidgetMessage } from './WidgetMessage.tsx';

interface StoredKpiGateProps {
  kpiId: string;
  period: KpiPeriod;
  /** The widget's content for a value (never null here). */
  children: (result: KpiResult & { value: number }) => ReactNode;
}

export function StoredKpiGate({ kpiId, period, children }: StoredKpiGateProps) {
  const { t, i18n } = useTranslation();
  const { status, result, error } = useKpiValue(kpiId, period);
  if (status === 'unavailable') return <WidgetMessage title={t('widget.kpiUnavailable')} hint={t('widget.kpiUnavailableHint')} testId="kpi-unavailable" />;
  if (status === 'missing') return <WidgetMessage tone="bad" title={t('kpidefs.kpiMissing', { kpi: kpiId })} hint={t('kpidefs.kpiMissingHint')} testId="kpi-missing" />;
  if (!result) {
    if (status === 'failed') return <WidgetMessage tone="bad" title={t('kpidefs.valueFailed', { kpi: kpiId, reason: error ?? '' })} testId="kpi-failed" />;
    return <WidgetMessage tone="muted" title={t('widget.loading')} testId="widget-loading" />;
  }
  const { value } = result;
  if (value === null) {
    return (
      <WidgetMessage
        tone="muted"
        title={t('kpidefs.noData', { period: periodWord(period, pickLocale(i18n.language)) })}
        hint={t('kpidefs.noDataHint', { kpi: result.name })}
        testId="kpi-no-data"
      />
    );
  }
  return <>{children({ ...result, value })}</>;
}
