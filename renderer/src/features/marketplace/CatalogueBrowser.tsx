// Browse: the catalogue as cards, found by words and by category. The core filters its cached copy,
// so searching works offline; Refresh asks the cloud, and a line says when the cards came from the
// cache and why the cloud was not read.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CatalogueView } from '../../../../shared/contract/market-calls.ts';
import { bridge } from '../../api/index.ts';
import { callErrorMessage } from '../../app/call-error.ts';
import { formatDateTime } from '../../format/format-time.ts';
import { coreNow } from '../../store/index.ts';
import { Notice } from '../../ui/Notice.tsx';
// The cloud store's own modules, not the feature's face: Settings → Cloud uses this feature's badge.
import { useCloudStore } from '../cloud-settings/cloud-store.ts';
import { openCloudSettings } from '../cloud-settings/open-cloud-settings.ts';
import { categoryLabel } from './market-text.ts';
import { TemplateCard } from './TemplateCard.tsx';

/** Typing pauses this long before the catalogue is asked again. */
const SEARCH_PAUSE_MS = 250;
/** A cached catalogue older than this is refreshed when the page opens. */
const STALE_AFTER_MS = 60 * 60 * 1000;

export function CatalogueBrowser() {
  const { t, i18n } = useTranslation();
  const [query, setQuery] = useState('');
  const [category, setCategory] = useState<string | null>(null);
  const [view, setView] = useState<CatalogueView | null>(null);
  const [categories, setCategories] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  // Why the last Refresh could not read the cloud: still true while searching the cached copy.
  const [refreshProblem, setRefreshProblem] = useState<string | null>(null);
  const activated = useCloudStore((state) => state.status?.activated ?? null);
  const request = useRef(0);

  async function load(refresh: boolean): Promise<CatalogueView | null> {
    const id = ++request.current;
    setBusy(true);
    try {
      const answer = await bridge.call('marketplace.catalogue', { q: query.trim() || undefined, category: category ?? undefined, refresh });
      if (id !== request.current) return null;
      setView(answer);
      setProblem(null);
      if (refresh) setRefreshProblem(answer.source === 'cloud' ? null : answer.problem);
      // Chips stay for every category seen, so picking one does not hide the others.
      setCategories((known) => [...new Set([...known, ...answer.templates.flatMap((market) => market.entry.categories)])].sort());
      return answer;
    } catch (error) {
      if (id === request.current) setProblem(callErrorMessage(error, t('store.loadFailed')));
      return null;
    } finally {
      if (id === request.current) setBusy(false);
    }
  }

  // Searches read the cache at once; a cache older than an hour is then refreshed from the cloud.
  const first = useRef(true);
  useEffect(() => {
    const isFirst = first.current;
    first.current = false;
    const timer = setTimeout(
      () =>
        void load(false).then((answer) => {
          if (isFirst && answer && (answer.refreshedAt === null || coreNow() - answer.refreshedAt > STALE_AFTER_MS)) void load(true);
        }),
      isFirst ? 0 : SEARCH_PAUSE_MS,
    );
    return () => clearTimeout(timer);
  }, [query, category]);

  const neverRefreshed = view !== null && view.refreshedAt === null;
  const cloudProblem = view?.problem ?? refreshProblem;
  return (
    <div className="market-browse">
      <div className="market-toolbar">
        <input
          type="search"
          className="input market-search"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          placeholder={t('store.searchPlaceholder')}
          aria-label={t('store.search')}
          maxLength={100}
          data-testid="market-search"
        />
        <button type="button" className="btn" onClick={() => void load(true)} disabled={busy} data-testid="market-refresh">
          {busy && <span className="spinner spinner-small" aria-hidden="true" />}
          {t('store.refresh')}
        </button>
      </div>
      {categories.length > 0 && (
        <div className="market-chips" role="group" aria-label={t('store.categories')}>
          <button type="button" className="chip" aria-pressed={category === null} onClick={() => setCategory(null)}>
            {t('store.allCategories')}
          </button>
          {categories.map((slug) => (
            <button key={slug} type="button" className="chip" aria-pressed={category === slug} onClick={() => setCategory(category === slug ? null : slug)} data-testid={`market-chip-${slug}`}>
              {categoryLabel(slug, t)}
            </button>
          ))}
        </div>
      )}
      {problem && <Notice tone="bad">{problem}</Notice>}
      {view && view.source === 'cache' && view.refreshedAt !== null &&
        (cloudProblem ? (
          // The core's sentence already says when the copy was saved and what to do.
          <Notice tone="warn" testId="market-source">
            {cloudProblem}
          </Notice>
        ) : (
          <p className="market-source muted" data-testid="market-source">
            {t('store.fromCache', { time: formatDateTime(view.refreshedAt, i18n.language) })}
          </p>
        ))}
      {neverRefreshed && view ? (
        <div className="market-empty" data-testid="market-never">
          <h3>{t('store.never.title')}</h3>
          <p>{view.problem ?? t('store.never.offline')}</p>
          <p className="muted">{activated === false ? t('store.never.activate') : t('store.never.connect')}</p>
          <div className="market-empty-actions">
            {activated === false && (
              <button type="button" className="btn btn-primary" onClick={openCloudSettings}>
                {t('store.never.openCloud')}
              </button>
            )}
            <button type="button" className="btn" onClick={() => void load(true)} disabled={busy}>
              {t('store.refresh')}
            </button>
          </div>
        </div>
      ) : view && view.templates.length === 0 ? (
        <p className="panel-empty muted" data-testid="market-none">
          {query || category ? t('store.noMatch') : t('store.empty')}
        </p>
      ) : (
        <div className="market-cards" data-testid="market-cards">
          {view?.templates.map((market) => <TemplateCard key={market.entry.id} market={market} />)}
        </div>
      )}
      {!view && !problem && (
        <p className="app-loading market-loading">
          <span className="spinner" aria-hidden="true" />
          {t('store.loading')}
        </p>
      )}
    </div>
  );
}
