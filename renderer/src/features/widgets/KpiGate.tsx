// Shows a KPI widget's content once its period's figures are there; until then, or when the KPI
// engine is not part of this core, a clear sentence instead of an empty or broken chart.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { KpiPeriod } from '../../../../shared/contract/kpi-calls.ts';
import { useOverview } from './use-overview.ts';
import { WidgetMessage } from './WidgetMessage.tsx';

export function KpiGate({ period, children }: { period: KpiPeriod; children: ReactNode }) {
  const { t } = useTranslation();
  const status = useOverview(period, (feed) => feed.status);
  const error = useOverview(period, (feed) => feed.error);
  const hasFigures = useOverview(period, (feed) => feed.overview !== null);
  if (hasFigures && (status === 'ready' || status === 'failed')) return <>{children}</>;
  if (status === 'unavailable') return <WidgetMessage title={t('widget.kpiUnavailable')} hint={t('widget.kpiUnavailableHint')} testId="kpi-unavailable" />;
  if (status === 'failed') return <WidgetMessage tone="bad" title={t('widget.kpiFailed', { reason: error ?? '' })} testId="kpi-failed" />;
  return <WidgetMessage tone="muted" title={t('widget.loading')} testId="widget-loading" />;
}
