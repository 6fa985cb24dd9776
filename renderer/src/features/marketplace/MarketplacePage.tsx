// The Marketplace page: Browse (the catalogue, cached so it works offline) and Installed (the
// template instances on this PC) as tabs, and one template's page (#/marketplace/<templateId>).
import { useTranslation } from 'react-i18next';
import { marketHref, marketRouteFromHash, useHash } from '../../app/navigation.ts';
import { CatalogueBrowser } from './CatalogueBrowser.tsx';
import { InstalledView } from './InstalledView.tsx';
import { TemplateDetail } from './TemplateDetail.tsx';
import './marketplace.css';

export function MarketplacePage() {
  const { t } = useTranslation();
  const route = marketRouteFromHash(useHash());
  const tab = route.view === 'installed' ? 'installed' : 'browse';
  return (
    <div className="market-page" data-testid="marketplace-page">
      <section className="panel market-panel" aria-label={t('store.title')}>
        <nav className="tabs market-tabs" aria-label={t('store.title')}>
          <a className="tab" href={marketHref({ view: 'browse' })} aria-selected={tab === 'browse'} data-testid="market-tab-browse">
            {t('store.tab.browse')}
          </a>
          <a className="tab" href={marketHref({ view: 'installed' })} aria-selected={tab === 'installed'} data-testid="market-tab-installed">
            {t('store.tab.installed')}
          </a>
        </nav>
        <div className="market-body">
          {route.view === 'installed' ? (
            <InstalledView />
          ) : route.view === 'template' ? (
            <TemplateDetail key={route.templateId} templateId={route.templateId} />
          ) : (
            <CatalogueBrowser />
          )}
        </div>
      </section>
    </div>
  );
}
