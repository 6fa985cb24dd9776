import { describe, expect, it } from 'vitest';
import { marketHref, marketRouteFromHash, pageFromHash, pageHref } from './navigation.ts';

describe('navigation', () => {
  it('reads the page from the hash; anything unknown is the Overview, the start page', () => {
    expect(pageFromHash('#/trends')).toBe('trends');
    expect(pageFromHash('#trends')).toBe('trends');
    expect(pageFromHash('#/trends?x=1')).toBe('trends');
    expect(pageFromHash('#/live')).toBe('live');
    expect(pageFromHash('')).toBe('overview');
    expect(pageFromHash('#/')).toBe('overview');
    expect(pageFromHash('#/nonsense')).toBe('overview');
    expect(pageFromHash('#/marketplace')).toBe('marketplace');
    expect(pageFromHash('#/marketplace/installed')).toBe('marketplace');
    expect(pageFromHash('#/marketplace/acme.cnc-oee')).toBe('marketplace');
  });

  it('links back to the same page', () => {
    expect(pageFromHash(pageHref('trends'))).toBe('trends');
    expect(pageFromHash(pageHref('live'))).toBe('live');
    expect(pageHref('overview')).toBe('#/');
    expect(pageFromHash(pageHref('overview'))).toBe('overview');
    expect(pageFromHash(pageHref('marketplace'))).toBe('marketplace');
  });

  it('reads the Marketplace view: the catalogue, the installed templates or one template', () => {
    expect(marketRouteFromHash('#/marketplace')).toEqual({ view: 'browse' });
    expect(marketRouteFromHash('#/marketplace/')).toEqual({ view: 'browse' });
    expect(marketRouteFromHash('#/marketplace/installed')).toEqual({ view: 'installed' });
    expect(marketRouteFromHash('#/marketplace/installed?x=1')).toEqual({ view: 'installed' });
    expect(marketRouteFromHash('#/marketplace/acme.cnc-oee')).toEqual({ view: 'template', templateId: 'acme.cnc-oee' });
    expect(marketRouteFromHash('#marketplace/acme.cnc-oee?tab=plans')).toEqual({ view: 'template', templateId: 'acme.cnc-oee' });
    expect(marketRouteFromHash('#/marketplace/%E0%A4%A')).toEqual({ view: 'browse' });
    expect(marketRouteFromHash('#/trends/acme.cnc-oee')).toEqual({ view: 'browse' });
  });

  it('links to each Marketplace view and reads the link back', () => {
    for (const route of [{ view: 'browse' }, { view: 'installed' }, { view: 'template', templateId: 'acme.cnc-oee' }, { view: 'template', templateId: 'a b/c' }] as const) {
      expect(marketRouteFromHash(marketHref(route))).toEqual(route);
    }
    expect(marketHref({ view: 'template', templateId: 'acme.cnc-oee' })).toBe('#/marketplace/acme.cnc-oee');
  });
});
