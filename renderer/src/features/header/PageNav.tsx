// The header's page switch: the Overview first (the start page), then the other pages, as links (#/,
// #/live, #/trends) so a page can be bookmarked, reloaded and left with the browser's Back button.
import { useTranslation } from 'react-i18next';
import { PAGES, pageHref, usePage } from '../../app/navigation.ts';

export function PageNav() {
  const { t } = useTranslation();
  const current = usePage();
  return (
    <nav className="page-nav" aria-label={t('nav.label')}>
      {PAGES.map((page) => (
        <a key={page} href={pageHref(page)} className={page === current ? 'is-active' : undefined} aria-current={page === current ? 'page' : undefined} data-testid={`nav-${page}`}>
          {t(`nav.${page}`)}
        </a>
      ))}
    </nav>
  );
}
