import { describe, expect, it } from 'vitest';
import { pageFromHash, pageHref } from './navigation.ts';

describe('navigation', () => {
  it('reads the page from the hash; anything unknown is the Overview, the start page', () => {
    expect(pageFromHash('#/trends')).toBe('trends');
    expect(pageFromHash('#trends')).toBe('trends');
    expect(pageFromHash('#/trends?x=1')).toBe('trends');
    expect(pageFromHash('#/live')).toBe('live');
    expect(pageFromHash('')).toBe('overview');
    expect(pageFromHash('#/')).toBe('overview');
    expect(pageFromHash('#/nonsense')).toBe('overview');
  });

  it('links back to the same page', () => {
    expect(pageFromHash(pageHref('trends'))).toBe('trends');
    expect(pageFromHash(pageHref('live'))).toBe('live');
    expect(pageHref('overview')).toBe('#/');
    expect(pageFromHash(pageHref('overview'))).toBe('overview');
  });
});
