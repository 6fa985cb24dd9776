// Which page is on screen — the live view or Trends — kept in the address's hash (#/trends), so a
// reload, the browser's Back button and a bookmark on a shift tablet all land on the same page.
import { useSyncExternalStore } from 'react';

export const PAGES = ['live', 'trends'] as const;
export type Page = (typeof PAGES)[number];

/**
 * The page an address hash names; anything else is the live view.
 * @example pageFromHash('#/trends') // → 'trends'
 */
export function pageFromHash(hash: string): Page {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return (PAGES as readonly string[]).includes(name ?? '') && name !== 'live' ? (name as Page) : 'live';
}

/** The link to a page. */
export function pageHref(page: Page): string {
  return page === 'live' ? '#/' : `#/${page}`;
}

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

/** The page on screen, re-rendering when it changes. */
export function usePage(): Page {
  return useSyncExternalStore(subscribe, () => pageFromHash(window.location.hash));
}
