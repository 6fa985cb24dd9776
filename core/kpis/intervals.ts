// Half-open time intervals [from, to) in ms, kept sorted and disjoint: planned production time is
// shifts minus breaks minus planned downtime, clipped to a period and to what has happened so far.
export interface Interval {
  from: number;
  to: number;
}

/** The intervals sorted, with overlapping or touching ones joined and empty ones dropped. */
export function normalise(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((interval) => interval.to > interval.from).sort((a, b) => a.from - b.from);
  const out: Interval[] = [];
  for (const interval of sorted) {
    const last = out.at(-1);
    if (last && interval.from <= last.to) last.to = Math.max(last.to, interval.to);
    else out.push({ from: interval.from, to: interval.to });
  }
  return out;
}

/** What of `a` is not in `b` (both normalised). */
export function subtract(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let j = 0;
  for (const interval of a) {
    let from = interval.from;
    while (j < b.length && b[j]!.to <= from) j++;
    let k = j;
    while (k < b.length && b[k]!.from < interval.to) {
      const cut = b[k]!;
      if (cut.from > from) out.push({ from, to: cut.from });
      from = Math.max(from, cut.to);
      k++;
    }
    if (from < interval.to) out.push({ from, to: interval.to });
  }
  return out;
}

/** What `a` and `b` (both normalised) have in common. */
export function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const from = Math.max(a[i]!.from, b[j]!.from);
    const to = Math.min(a[i]!.to, b[j]!.to);
    if (to > from) out.push({ from, to });
    if (a[i]!.to < b[j]!.to) i++;
    else j++;
  }
  return out;
}

/** The intervals cut to [from, to). */
export function clip(intervals: readonly Interval[], from: number, to: number): Interval[] {
  return intersect(intervals, [{ from, to }]);
}

/** Total length in ms. */
export function total(intervals: readonly Interval[]): number {
  let sum = 0;
  for (const interval of intervals) sum += interval.to - interval.from;
  return sum;
}

/** How much of [from, to) lies in the (normalised) intervals. */
export function overlap(intervals: readonly Interval[], from: number, to: number): number {
  let sum = 0;
  for (const interval of intervals) {
    if (interval.from >= to) break;
    if (interval.to <= from) continue;
    sum += Math.min(to, interval.to) - Math.max(from, interval.from);
  }
  return sum;
}
