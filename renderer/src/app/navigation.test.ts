import { describe, expect, it } from 'vitest';
import { pageFromHash, pageHref } from './navigation.ts';

describe('navigation', () => {
  it('reads the page from the hash; anything unknown is the live view', () => {
    expect(pageFromHash('#/trends')).toBe('trends');
    expect(pageFromHash('#trends')).toBe('trends');
    expect(pageFromHash('#/trends?x=1')).toBe('trends');
    expect(pageFromHash('')).toBe('live');
    expect(pageFromHash('#/')).toBe('live');
    expect(pageFromHash('#/nonsense')).toBe('live');
  });

  it('links back to the same page', () => {
    expect(pageFromHash(pageHref('trends'))).toBe('trends');
    expect(pageFromHash(pageHref('live'))).toBe('live');
  });
});
