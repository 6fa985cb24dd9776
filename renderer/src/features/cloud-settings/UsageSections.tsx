// What this PC bills by: pay-after-use meters (units recorded and not yet reported) and pay-for-results
// statements (the figures, the baseline and measured periods, how they were computed, and whether
// the cloud acknowledged them or they are disputed).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../../shared/contract/calls.ts';
import { bridge } from '../../api/index.ts';
import { callErrorMessage } from '../../app/call-error.ts';
import { formatDateTime } from '../../format/format-time.ts';
import { formatNumber } from '../../format/format-value.ts';
import { Notice } from '../../ui/Notice.tsx';
import { formatDay, localised, meteredName, type PlanTranslate } from '../marketplace/index.ts';
import { useCloudStore } from './cloud-store.ts';

type Meters = CallOutput<'metering.summary'>['meters'];

/** Reads a call when shown and again after each sync; null until it answers. */
function useSyncedRead<Value>(read: () => Promise<Value>): { value: Value | null; problem: string | null } {
  const { t } = useTranslation();
  const lastSyncAt = useCloudStore((state) => state.sync?.lastSyncAt ?? null);
  const [value, setValue] = useState<Value | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    read()
      .then((answer) => current && (setValue(answer), setProblem(null)))
      .catch((error: unknown) => current && setProblem(callErrorMessage(error, t('store.loadFailed'))));
    return () => {
      current = false;
    };
  }, [lastSyncAt]);
  return { value, problem };
}

function useTemplateName(): (templateId: string) => string {
  const { i18n } = useTranslation();
  const names = useCloudStore((state) => state.templateNames);
  return (templateId) => (names[templateId] ? localised(names[templateId]!, i18n.language) : templateId);
}

export function MeteringSection() {
  const { t, i18n } = useTranslation();
  const tt = t as unknown as PlanTranslate;
  const name = useTemplateName();
  const { value: meters, problem } = useSyncedRead<Meters>(async () => (await bridge.call('metering.summary', {})).meters);
  if (!problem && (!meters || meters.length === 0)) return null;
  return (
    <div className="cloud-section" data-testid="cloud-metering">
      <h4 className="cloud-subtitle">{t('store.metering.title')}</h4>
      {problem && <Notice tone="bad">{problem}</Notice>}
      {meters && meters.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th>{t('store.metering.template')}</th>
              <th>{t('store.metering.meter')}</th>
              <th className="cloud-number">{t('store.metering.recorded')}</th>
              <th className="cloud-number">{t('store.metering.unreported')}</th>
              <th>{t('store.metering.lastPeriod')}</th>
            </tr>
          </thead>
          <tbody>
            {meters.map((meter) => (
              <tr key={`${meter.templateId}-${meter.meter}`}>
                <td>{name(meter.templateId)}</td>
                <td>
                  {meteredName('meter', meter.meter, tt)} <span className="muted">({meter.unit})</span>
                </td>
                <td className="cloud-number">{formatNumber(meter.recordedUnits, 0, i18n.language)}</td>
                <td className="cloud-number">{formatNumber(meter.unreportedUnits, 0, i18n.language)}</td>
                <td>{meter.lastPeriodEnd === null ? '—' : formatDateTime(meter.lastPeriodEnd, i18n.language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function OutcomesSection() {
  const { t, i18n } = useTranslation();
  const tt = t as unknown as PlanTranslate;
  const name = useTemplateName();
  const { value: answer, problem } = useSyncedRead<CallOutput<'outcomes.list'>>(() => bridge.call('outcomes.list', {}));
  const outcomes = answer?.outcomes;
  const jobProblems = answer?.problems ?? [];
  if (!problem && jobProblems.length === 0 && (!outcomes || outcomes.length === 0)) return null;
  const day = (ts: number) => formatDay(ts, i18n.language);
  const number = (value: number) => formatNumber(value, Math.abs(value) >= 100 ? 0 : 2, i18n.language);
  return (
    <div className="cloud-section" data-testid="cloud-outcomes">
      <h4 className="cloud-subtitle">{t('store.outcomes.title')}</h4>
      {problem && <Notice tone="bad">{problem}</Notice>}
      {jobProblems.map((jobProblem) => (
        <Notice key={jobProblem.templateId} tone="warn">
          <strong>{name(jobProblem.templateId)}:</strong> {jobProblem.message}
        </Notice>
      ))}
      <ul className="cloud-outcomes">
        {outcomes?.map((outcome) => (
          <li key={outcome.recordId} data-testid={`cloud-outcome-${outcome.sequence}`}>
            <div className="cloud-licence-head">
              <strong>{name(outcome.templateId)}</strong>
              <span className="muted">
                {t('store.outcomes.statement', { sequence: outcome.sequence, metric: meteredName('metric', outcome.metric, tt) })}
              </span>
              {outcome.disputed !== null ? (
                <span className="pill pill-bad">{t('store.outcomes.disputed')}</span>
              ) : outcome.acknowledged ? (
                <span className="pill pill-good">{t('store.outcomes.acknowledged')}</span>
              ) : (
                <span className="pill pill-off">{t('store.outcomes.waiting')}</span>
              )}
            </div>
            <dl className="cloud-facts">
              <dt>{t('store.outcomes.baseline')}</dt>
              <dd>
                {t('store.outcomes.period', { from: day(outcome.baseline.start), to: day(outcome.baseline.end), value: number(outcome.baseline.value), unit: outcome.unit })}{' '}
                <span className="muted">({meteredName('method', outcome.baseline.method, tt)})</span>
              </dd>
              <dt>{t('store.outcomes.measured')}</dt>
              <dd>{t('store.outcomes.period', { from: day(outcome.measured.start), to: day(outcome.measured.end), value: number(outcome.measured.value), unit: outcome.unit })}</dd>
              <dt>{t('store.outcomes.result')}</dt>
              <dd>
                <strong>
                  {number(outcome.outcome)} {outcome.unit}
                </strong>
              </dd>
            </dl>
            <p className="cloud-method">{outcome.method}</p>
            {outcome.disputed && <Notice tone="warn">{t('store.outcomes.disputedWhy', { reason: outcome.disputed })}</Notice>}
          </li>
        ))}
      </ul>
    </div>
  );
}
