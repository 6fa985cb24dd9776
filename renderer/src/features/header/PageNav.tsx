// The header's page switch: the Overview first (the start page), then the other pages, as links (#/,
// #/live, #/trends, #/marketplace) so a page can be bookmarked, reloaded and left with the browser's Back button.
import { useTranslation } from 'react-i18next';
import { PAGES, pageHref, usePage, type Page } from '../../app/navigation.ts';

/** Each page's name in the switch. */
const LABEL_KEYS = {
  overview: 'nav.overview',
  live: 'nav.live',
  trends: 'nav.trends',
  alarms: 'nav.alarms',
  marketplace: 'store.nav',
} as const satisfies Record<Page, string>;

export function PageNav() {
  const { t } = useTranslation();
  const current = usePage();
  return (
    <nav className="page-nav" aria-label={t('nav.label')}>
      {PAGES.map((page) => (
        <a key={page} href={pageHref(page)} className={page === current ? 'is-active' : undefined} aria-current={page === current ? 'page' : undefined} data-testid={`nav-${page}`}>
          {t(LABEL_KEYS[page])}
        </a>
      ))}
    </nav>
  );
}
