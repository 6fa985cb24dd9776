// One template in the catalogue: name, summary, publisher, its price plans in yuan, whether it works
// with this PlantDesk, whether it is installed and how its licence stands. The whole card opens the
// template's page.
import { useTranslation } from 'react-i18next';
import type { MarketEntry } from '../../../../shared/contract/market-calls.ts';
import { marketHref } from '../../app/navigation.ts';
import { LicenceBadge } from './LicenceBadge.tsx';
import { localised, planPriceLine, type PlanTranslate } from './money.ts';

export function TemplateCard({ market }: { market: MarketEntry }) {
  const { t, i18n } = useTranslation();
  const { entry } = market;
  const language = i18n.language;
  return (
    <a className="market-card" href={marketHref({ view: 'template', templateId: entry.id })} data-testid={`market-card-${entry.id}`}>
      <span className="market-card-head">
        <span className="market-card-name">{localised(entry.name, language)}</span>
        <span className="market-card-publisher muted">{entry.publisher.name}</span>
      </span>
      <span className="market-card-summary">{localised(entry.summary, language)}</span>
      <span className="market-card-plans">
        {entry.plans.length === 0 ? (
          <span className="market-plan-line">{t('store.free')}</span>
        ) : (
          entry.plans.map((plan) => (
            <span key={plan.id} className="market-plan-line">
              <strong>{localised(plan.name, language)}</strong> {planPriceLine(plan, t as unknown as PlanTranslate)}
            </span>
          ))
        )}
      </span>
      <span className="market-card-badges">
        <CompatibilityBadge market={market} />
        {market.installed.length > 0 && <span className="pill pill-good">{t('store.installedBadge')}
            {market.installed.length > 1 ? ` ×${market.installed.length}` : ''}</span>}
        {market.licence && <LicenceBadge licence={market.licence} />}
        {market.control.status !== 'published' && <span className={`pill ${market.control.status === 'revoked' ? 'pill-bad' : 'pill-warn'}`}>{t(`store.control.${market.control.status}`)}</span>}
      </span>
    </a>
  );
}

/** "Works with this version" or "Needs another PlantDesk version". */
export function CompatibilityBadge({ market }: { market: MarketEntry }) {
  const { t } = useTranslation();
  return market.compatibleVersion ? (
    <span className="pill pill-good" title={t('store.compatibleVersion', { version: market.compatibleVersion })}>
      {t('store.compatible')}
    </span>
  ) : (
    <span className="pill pill-off" title={t('store.incompatibleHint', { range: market.entry.latest.appVersions })}>
      {t('store.incompatible')}
    </span>
  );
}
