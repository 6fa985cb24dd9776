// One template's page: what it does, screenshots, what it brings (read from the package once it is
// downloaded), its versions and whether they work here, the control list's word on it, its price
// plans with Start trial / Subscribe / Enable…, and Install.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PricePlan } from '../../../../shared/cloud/catalogue.ts';
import type { MarketEntry, PackageInspection } from '../../../../shared/contract/market-calls.ts';
import { bridge } from '../../api/index.ts';
import { callErrorMessage } from '../../app/call-error.ts';
import { marketHref } from '../../app/navigation.ts';
import { formatBytes } from '../../format/format-bytes.ts';
import { Notice } from '../../ui/Notice.tsx';
import { loadLicences } from '../cloud-settings/cloud-store.ts';
import { InstallDialog } from './InstallDialog.tsx';
import { LicenceBadge } from './LicenceBadge.tsx';
import { categoryLabel, formatDay } from './market-text.ts';
import { localised, planPriceLine, type PlanTranslate, type UnitsById } from './money.ts';
import { OrderDialog } from './OrderDialog.tsx';
import { PackageContents } from './PackageContents.tsx';
import { Screenshots } from './Screenshots.tsx';
import { CompatibilityBadge } from './TemplateCard.tsx';

type Inspect = { state: 'idle' } | { state: 'busy' } | { state: 'done'; inspection: PackageInspection } | { state: 'failed'; problem: string };

export function TemplateDetail({ templateId }: { templateId: string }) {
  const { t, i18n } = useTranslation();
  const [market, setMarket] = useState<MarketEntry | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [inspect, setInspect] = useState<Inspect>({ state: 'idle' });
  const [ordering, setOrdering] = useState<PricePlan | null>(null);
  const [installing, setInstalling] = useState(false);

  async function load(): Promise<void> {
    try {
      setMarket(await bridge.call('marketplace.template', { templateId }));
      setProblem(null);
    } catch (error) {
      setProblem(callErrorMessage(error, t('store.loadFailed')));
    }
  }
  useEffect(() => {
    void load();
  }, [templateId]);

  async function showContents(version: string): Promise<void> {
    setInspect({ state: 'busy' });
    try {
      setInspect({ state: 'done', inspection: await bridge.call('templates.inspect', { source: { kind: 'marketplace', templateId, version } }) });
    } catch (error) {
      setInspect({ state: 'failed', problem: callErrorMessage(error, t('store.inspectFailed')) });
    }
  }

  const back = (
    <a className="market-back" href={marketHref({ view: 'browse' })}>
      ← {t('store.backToCatalogue')}
    </a>
  );
  if (!market) {
    return (
      <div className="market-detail">
        {back}
        {problem ? <Notice tone="bad" testId="market-detail-problem">{problem}</Notice> : <span className="spinner" aria-hidden="true" />}
      </div>
    );
  }

  const { entry, control, licence } = market;
  const language = i18n.language;
  const name = localised(entry.name, language);
  const version = market.compatibleVersion ?? entry.latest.version;
  const inspection = inspect.state === 'done' ? inspect.inspection : null;
  const units: UnitsById = {};
  for (const meter of inspection?.manifest.licence.meters ?? []) units[meter.id] = meter.unit;
  const outcome = inspection?.manifest.licence.outcome;
  if (outcome) units[outcome.metric] = outcome.unit;
  const canInstall = market.compatibleVersion !== null && control.status !== 'revoked';

  return (
    <div className="market-detail" data-testid="market-detail">
      {back}
      <header className="market-detail-head">
        <div>
          <h2>{name}</h2>
          <p className="muted">
            {entry.publisher.name} · {entry.categories.map((slug) => categoryLabel(slug, t)).join(t('store.listSeparator'))}
          </p>
          <p>{localised(entry.summary, language)}</p>
          <p className="market-card-badges">
            <CompatibilityBadge market={market} />
            {market.installed.length > 0 && (
              <a className="pill pill-good" href={marketHref({ view: 'installed' })}>
                {t('store.installedAs', { instances: market.installed.map((instance) => `${instance.instanceId} (${instance.version})`).join(', ') })}
              </a>
            )}
            {licence && <LicenceBadge licence={licence} />}
          </p>
        </div>
        <div className="market-detail-actions">
          <button type="button" className="btn btn-primary btn-large" disabled={!canInstall} onClick={() => setInstalling(true)} data-testid="market-install">
            {t('store.install')}
          </button>
        </div>
      </header>

      {control.status !== 'published' && (
        <Notice tone={control.status === 'revoked' ? 'bad' : 'warn'} testId="market-control">
          {t(`store.control.${control.status}Sentence`, { reason: control.reason })}
        </Notice>
      )}
      {!market.compatibleVersion && <Notice tone="warn">{t('store.incompatibleSentence', { range: entry.latest.appVersions })}</Notice>}
      {licence && <p className="market-licence-sentence">{licence.message}</p>}
      {licence?.clockWarning && <Notice tone="warn">{licence.clockWarning}</Notice>}

      <div className="market-detail-grid">
        <div className="market-detail-main">
          <section>
            <h3>{t('store.description')}</h3>
            <p className="market-description">{localised(entry.description, language)}</p>
          </section>
          {entry.screenshots.length > 0 && (
            <section>
              <h3>{t('store.screenshots')}</h3>
              <Screenshots entry={entry} version={version} />
            </section>
          )}
          <section>
            <h3>{t('store.contents')}</h3>
            {inspect.state === 'done' ? (
              <PackageContents inspection={inspect.inspection} />
            ) : (
              <>
                <p className="muted">{t('store.contents.downloadFirst')}</p>
                {inspect.state === 'failed' && <Notice tone="bad">{inspect.problem}</Notice>}
                <button type="button" className="btn" onClick={() => void showContents(version)} disabled={inspect.state === 'busy'} data-testid="market-show-contents">
                  {inspect.state === 'busy' && <span className="spinner spinner-small" aria-hidden="true" />}
                  {inspect.state === 'busy' ? t('store.inspecting') : t('store.contents.show')}
                </button>
              </>
            )}
          </section>
        </div>
        <aside className="market-detail-side">
          <section>
            <h3>{t('store.plans')}</h3>
            {entry.plans.length === 0 ? (
              <p className="muted">{t('store.freeSentence')}</p>
            ) : (
              <ul className="market-plans">
                {entry.plans.map((plan) => (
                  <li key={plan.id} className="market-plan" data-testid={`market-plan-${plan.id}`}>
                    <strong>{localised(plan.name, language)}</strong>
                    <span>{planPriceLine(plan, t as unknown as PlanTranslate, units)}</span>
                    {/* A trial is taken once: with a licence here, its state stands where the button was. */}
                    {plan.kind === 'trial' && licence && licence.state !== 'none' ? (
                      <span>
                        <LicenceBadge licence={licence} />
                      </span>
                    ) : (
                      <button type="button" className="btn" onClick={() => setOrdering(plan)} data-testid={`market-order-${plan.id}`}>
                        {t(`store.order.action.${plan.kind}`)}
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section>
            <h3>{t('store.versions')}</h3>
            <ul className="market-versions">
              {entry.versions.map((item) => (
                <li key={item.version} title={`${t('store.appVersions')}: ${item.appVersions}`}>
                  <span className="mono">{item.version}</span>
                  <span>{formatDay(item.publishedAt, language)}</span>
                  <span className="muted">{formatBytes(item.size)}</span>
                  {item.version === market.compatibleVersion && <span className="pill pill-good">{t('store.newestCompatible')}</span>}
                </li>
              ))}
            </ul>
            <p className="muted market-app-versions">{t('store.appVersionsLine', { range: entry.latest.appVersions })}</p>
          </section>
        </aside>
      </div>

      {ordering && (
        <OrderDialog
          templateId={entry.id}
          templateName={name}
          plan={ordering}
          units={units}
          outcomeMethod={outcome ? localised(outcome.description, language) : null}
          onClose={() => setOrdering(null)}
          onOrdered={() => {
            void load();
            void loadLicences();
          }}
        />
      )}
      {installing && (
        <InstallDialog
          source={{ kind: 'marketplace', templateId: entry.id, version }}
          inspection={inspection}
          onClose={() => setInstalling(false)}
          onInstalled={() => void load()}
        />
      )}
    </div>
  );
}
