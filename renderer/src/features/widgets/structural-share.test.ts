import { describe, expect, it } from 'vitest';
import { replaceEqualDeep } from './structural-share.ts';

describe('structural sharing of answers', () => {
  it('keeps unchanged machines identical, so their cards are not drawn again', () => {
    const before = { machines: [{ id: 'a', oee: { oee: 0.8 } }, { id: 'b', oee: { oee: 0.5 } }], computedAt: 1 };
    const after = { machines: [{ id: 'a', oee: { oee: 0.8 } }, { id: 'b', oee: { oee: 0.6 } }], computedAt: 2 };
    const shared = replaceEqualDeep(before, after);
    expect(shared).toEqual(after);
    expect(shared.machines[0]).toBe(before.machines[0]);
    expect(shared.machines[1]).not.toBe(before.machines[1]);
    expect(shared.machines[1]!.oee).not.toBe(before.machines[1]!.oee);
  });

  it('returns the previous answer itself when nothing changed', () => {
    const before = { a: [1, 2, { b: null }], c: 'x' };
    expect(replaceEqualDeep(before, structuredClone(before))).toBe(before);
  });

  it('notices added, removed and reordered entries', () => {
    expect(replaceEqualDeep({ a: 1 }, { a: 1, b: undefined })).toEqual({ a: 1, b: undefined });
    expect(replaceEqualDeep({ a: 1, b: 2 }, { a: 1 })).toEqual({ a: 1 });
    const list = [{ id: 1 }, { id: 2 }];
    const reordered = replaceEqualDeep(list, [{ id: 2 }, { id: 1 }]);
    expect(reordered).not.toBe(list);
    expect(reordered[0]).toEqual(list[1]);
    expect(replaceEqualDeep([1], { 0: 1 })).toEqual({ 0: 1 });
  });
});
