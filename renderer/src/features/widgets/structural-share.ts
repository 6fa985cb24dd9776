// Keeps the parts of a new answer that did not change identical to the previous answer's, as
// TanStack Query's structural sharing does: a widget (or a machine card) subscribed to a part that
// did not change is not re-rendered, and a chart option memoised on it is not rebuilt.

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;

/**
 * `next`, with every part deep-equal to the same part of `previous` replaced by that part. Returns
 * `previous` itself when nothing changed.
 * @example replaceEqualDeep({ a: { b: 1 }, c: 1 }, { a: { b: 1 }, c: 2 }).a // → the previous `a`
 */
export function replaceEqualDeep<T>(previous: unknown, next: T): T {
  if (previous === next) return next;
  const bothArrays = Array.isArray(previous) && Array.isArray(next);
  if (!bothArrays && !(isPlainObject(previous) && isPlainObject(next))) {
    return (Number.isNaN(previous) && Number.isNaN(next) ? previous : next) as T;
  }
  const before = previous as Record<string, unknown>;
  const after = next as Record<string, unknown>;
  const keys = Object.keys(after);
  const result: Record<string, unknown> = bothArrays ? [] as unknown as Record<string, unknown> : {};
  let same = Object.keys(before).length === keys.length;
  for (const key of keys) {
    const shared = replaceEqualDeep(before[key], after[key]);
    result[key] = shared;
    if (shared !== before[key] || !Object.hasOwn(before, key)) same = false;
  }
  return (same ? previous : result) as T;
}
