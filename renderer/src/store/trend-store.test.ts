import { describe, expect, it } from 'vitest';
import { toggleSlot } from './trend-store.ts';

describe('trend colour slots', () => {
  it('adds a point to the first free slot, so the others keep their colours', () => {
    expect(toggleSlot(['a', 'b'], 'c')).toEqual(['a', 'b', 'c']);
    expect(toggleSlot(['a', 'b', 'c'], 'b')).toEqual(['a', null, 'c']);
    expect(toggleSlot(['a', null, 'c'], 'd')).toEqual(['a', 'd', 'c']);
  });

  it('frees trailing slots', () => {
    expect(toggleSlot(['a', null, 'c'], 'c')).toEqual(['a']);
    expect(toggleSlot(['a'], 'a')).toEqual([]);
  });

  it('ignores a click when every slot is taken', () => {
    const full = ['a', 'b'];
    expect(toggleSlot(full, 'c', 2)).toBe(full);
  });
});
