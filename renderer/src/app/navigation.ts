// Which page is on screen — the Overview (the start page, what a plant manager opens the app for),
// the live view, Trends, Alarms or the Marketplace — kept in the address's hash (#/live, #/trends,
// #/marketplace/acme.cnc-oee), so a reload, the browser's Back button and a bookmark on a shift
// tablet all land on the same page.
import { useSyncExternalStore } from 'react';

export const PAGES = ['overview', 'live', 'trends', 'alarms', 'marketplace'] as const;
export type Page = (typeof PAGES)[number];
/** The page an address without a page in its hash opens. */
export const START_PAGE: Page = 'overview';

/** The hash's path segments, without '#', leading '/' and query. */
function hashSegments(hash: string): string[] {
  return hash.replace(/^#\/?/, '').split('?')[0]!.split('/');
}

/**
 * The page an address hash names; anything else is the start page.
 * @example pageFromHash('#/trends') // → 'trends'
 */
export function pageFromHash(hash: string): Page {
  const name = hashSegments(hash)[0];
  return (PAGES as readonly string[]).includes(name ?? '') ? (name as Page) : START_PAGE;
}

/** The link to a page. */
export function pageHref(page: Page): string {
  return page === START_PAGE ? '#/' : `#/${page}`;
}

/** What the Marketplace page shows: the catalogue, the installed templates, or one template. */
export type MarketRoute = { view: 'browse' } | { view: 'installed' } | { view: 'template'; templateId: string };

/**
 * The Marketplace view an address hash names (#/marketplace, #/marketplace/installed,
 * #/marketplace/<templateId>); anything unreadable is the catalogue.
 * @example marketRouteFromHash('#/marketplace/acme.cnc-oee') // → { view: 'template', templateId: 'acme.cnc-oee' }
 */
export function marketRouteFromHash(hash: string): MarketRoute {
  const [page, second] = hashSegments(hash);
  if (page !== 'marketplace' || !second) return { view: 'browse' };
  if (second === 'installed') return { view: 'installed' };
  try {
    const templateId = decodeURIComponent(second).trim();
    return templateId ? { view: 'template', templateId } : { view: 'browse' };
  } catch {
    return { view: 'browse' }; // a malformed %-escape
  }
}

/** The link to a Marketplace view. */
export function marketHref(route: MarketRoute): string {
  if (route.view === 'installed') return '#/marketplace/installed';
  if (route.view === 'template') return `#/marketplace/${encodeURIComponent(route.templateId)}`;
  return '#/marketplace';
}

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

/** The page on screen, re-rendering when it changes. */
export function usePage(): Page {
  return useSyncExternalStore(subscribe, () => pageFromHash(window.location.hash));
}

/** The address's hash, re-rendering when it changes. */
export function useHash(): string {
  return useSyncExternalStore(subscribe, () => window.location.hash);
}
