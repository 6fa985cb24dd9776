// Which page is on screen — the Overview (the start page, what a plant manager opens the app for),
// the live view, Trends or Alarms — kept in the address's hash (#/live, #/trends), so a reload, the
// browser's Back button and a bookmark on a shift tablet all land on the same page.
import { useSyncExternalStore } from 'react';

export const PAGES = ['overview', 'live', 'trends', 'alarms'] as const;
export type Page = (typeof PAGES)[number];
/** The page an address without a page in its hash opens. */
export const START_PAGE: Page = 'overview';

/**
 * The page an address hash names; anything else is the start page.
 * @example pageFromHash('#/trends') // → 'trends'
 */
export function pageFromHash(hash: string): Page {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return (PAGES as readonly string[]).includes(name ?? '') ? (name as Page) : START_PAGE;
}

/** The link to a page. */
export function pageHref(page: Page): string {
  return page === START_PAGE ? '#/' : `#/${page}`;
}

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

/** The page on screen, re-rendering when it changes. */
export function usePage(): Page {
  return useSyncExternalStore(subscribe, () => pageFromHash(window.location.hash));
}
