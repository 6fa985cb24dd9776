// The KPI engine's view of the historian: sums of a point's history over any set of time intervals
// (a period's planned production time, the hours of a tariff band), grouped (one group per day of a
// month, say). Whole hours come from the 1-hour rollups, the edges from the 1-minute rollups, and
// the newest minutes not rolled up yet (rollup_progress.minute_done) from the raw samples, summed
// exactly as the rollups sum them (core/historian/rollup.ts: held values, counters across resets).
// Each point costs one SQL statement over all its intervals: SQLite walks the rollups' primary key
// once per interval, in C.
import type { PointKind } from '../../shared/index.ts';
import { HOUR_MS, MINUTE_MS, counterIncrease, type RawSample, type RollupCarry } from '../historian/rollup.ts';
import { RawReader } from '../historian/raw-reader.ts';
import type { Db } from '../storage/database.ts';
import type { Interval } from './intervals.ts';

/** Quality code of a good sample. */
const GOOD = 0;
/** State values a time-in-states query takes as parameters (more are summed here from all states). */
const STATE_PARAMS = 8;
/** Longest a value holds without a newer sample; the historian's maintenance uses the same. */
export const DEFAULT_MAX_HOLD_MS = 120_000;

export interface PointInfo {
  num: number;
  id: string;
  deviceId: string;
  kind: PointKind;
  /** For counters in an unsigned register: the scaled value at which it rolls over. */
  wrap: number | undefined;
}

/** Points by id, read from the points table (what the historian's maintenance reads too). */
export function readPoints(db: Db): Map<string, PointInfo> {
  const rows = db.prepare('SELECT num, id, device_id, config FROM points').raw().all() as [number, string, string, string][];
  const points = new Map<string, PointInfo>();
  for (const [num, id, deviceId, config] of rows) {
    let parsed: { kind?: PointKind; dataType?: string; scale?: number } = {};
    try {
      parsed = JSON.parse(config) as typeof parsed;
    } catch {
      // A damaged config is the device store's to report; the point is read as a measurement.
    }
    const scale = parsed.scale ?? 1;
    const wrap = parsed.dataType === 'uint16' ? 65_536 * scale : parsed.dataType === 'uint32' ? 4_294_967_296 * scale : undefined;
    points.set(id, { num, id, deviceId, kind: parsed.kind ?? 'analog', wrap });
  }
  return points;
}

/** An interval that belongs to a group (a day of a month, a tariff band). */
export interface GroupedInterval extends Interval {
  group: number;
}

/** What a point's history sums to over a group's intervals. */
export interface Sums {
  /** Counters: how much the counter rose. */
  increase: number;
  /** Time the signal was known (ms), and the integral of its value over that time (value × ms). */
  coveredMs: number;
  integral: number;
  min: number | null;
  max: number | null;
  /** Good samples in the intervals. */
  count: number;
  /** States: ms spent in each state value. */
  states: Map<number, number>;
}

export const emptySums = (): Sums => ({ increase: 0, coveredMs: 0, integral: 0, min: null, max: null, count: 0, states: new Map() });

/** How far a point's rollups have come, and the sample they carry into the next minute. */
export interface RollupProgress {
  minuteDone: number;
  hourDone: number;
  carry: RollupCarry | null;
}

/** A stretch of the held signal: a good value, a bad or stale reading (the device did not answer), or nothing known. */
export type HeldSpan = { from: number; to: number } & ({ known: 'value'; value: number } | { known: 'bad' } | { known: 'none' });

/**
 * The held signal over [from, until) from the samples in it (in time order) and the carry before:
 * a value holds from its sample until the next one, not past a bad or stale sample, and not longer
 * than `maxHoldMs` — core/historian/rollup.ts's rules. A bad sample holds as 'bad' the same way.
 * Calls `onGood` for each good sample in range with the counter increase since the previous one.
 */
export function walkHeld(
  samples: readonly RawSample[],
  carry: RollupCarry | null,
  from: number,
  until: number,
  maxHoldMs: number,
  onSpan: (span: HeldSpan) => void,
  onGood?: (sample: RawSample, increase: number) => void,
  wrap?: number,
): RollupCarry | null {
  let at = from;
  let heldKnown: 'value' | 'bad' | 'none' = 'none';
  let heldValue = Number.NaN;
  let heldUntil = from;
  if (carry) {
    const good = carry.quality === GOOD && !Number.isNaN(carry.lastGood);
    heldKnown = good ? 'value' : 'bad';
    heldValue = carry.lastGood;
    heldUntil = carry.ts + maxHoldMs;
  }
  let lastGood = carry?.lastGood ?? Number.NaN;
  let last: RawSample | null = null;
  const emit = (to: number) => {
    if (to <= at) return;
    const knownUntil = heldKnown === 'none' ? at : Math.min(to, Math.max(at, heldUntil));
    if (knownUntil > at) {
      onSpan(heldKnown === 'value' ? { from: at, to: knownUntil, known: 'value', value: heldValue } : { from: at, to: knownUntil, known: 'bad' });
      at = knownUntil;
    }
    if (to > at) {
      onSpan({ from: at, to, known: 'none' });
      at = to;
    }
  };
  for (const sample of samples) {
    if (sample.ts < from || sample.ts >= until) continue;
    emit(sample.ts);
    const good = sample.quality === GOOD && !Number.isNaN(sample.value);
    if (good) {
      const increase = Number.isNaN(lastGood) ? 0 : counterIncrease(lastGood, sample.value, wrap);
      onGood?.(sample, increase);
      lastGood = sample.value;
      heldKnown = 'value';
      heldValue = sample.value;
    } else {
      heldKnown = 'bad';
    }
    heldUntil = sample.ts + maxHoldMs;
    last = sample;
  }
  emit(until);
  return last ? { ts: last.ts, quality: last.quality, lastGood } : carry && { ...carry, lastGood };
}

/** Index of the interval holding `ts` in sorted, disjoint intervals; -1 when none does. */
export function findInterval(intervals: readonly Interval[], ts: number): number {
  let low = 0;
  let high = intervals.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const interval = intervals[middle]!;
    if (ts < interval.from) high = middle - 1;
    else if (ts >= interval.to) low = middle + 1;
    else return middle;
  }
  return -1;
}

/** Adds a held span to the sums of the groups whose intervals it overlaps (intervals sorted, disjoint). */
function addSpan(span: HeldSpan, parts: readonly GroupedInterval[], sums: Sums[], kind: PointKind): void {
  if (span.known !== 'value') return;
  let index = findInterval(parts, span.from);
  if (index < 0) {
    // The first part that starts after the span's start.
    index = parts.findIndex((part) => part.from > span.from);
    if (index < 0) return;
  }
  for (; index < parts.length; index++) {
    const part = parts[index]!;
    if (part.from >= span.to) break;
    const ms = Math.min(span.to, part.to) - Math.max(span.from, part.from);
    if (ms <= 0) continue;
    const target = sums[part.group]!;
    target.coveredMs += ms;
    target.integral += span.value * ms;
    if (target.min === null || span.value < target.min) target.min = span.value;
    if (target.max === null || span.value > target.max) target.max = span.value;
    if (kind === 'state') target.states.set(span.value, (target.states.get(span.value) ?? 0) + ms);
  }
}

type SegmentRow = [resolution: number, from: number, to: number, group: number];

const roundToMinute = (ts: number) => Math.round(ts / MINUTE_MS) * MINUTE_MS;
const ceilTo = (ts: number, unit: number) => Math.ceil(ts / unit) * unit;
const floorTo = (ts: number, unit: number) => Math.floor(ts / unit) * unit;

/**
 * Splits intervals by where their history lives: whole hours before `hourDone` as hour rows, the rest
 * before `minuteDone` as minute rows (edges rounded to the minute), and what follows as raw samples.
 */
export function splitByForm(intervals: readonly GroupedInterval[], minuteDone: number, hourDone: number): { segments: SegmentRow[]; raw: GroupedInterval[] } {
  const segments: SegmentRow[] = [];
  const raw: GroupedInterval[] = [];
  for (const { from, to, group } of intervals) {
    const rolledTo = Math.min(to, minuteDone);
    if (from < rolledTo) {
      const start = roundToMinute(from);
      const end = rolledTo === minuteDone ? minuteDone : roundToMinute(rolledTo);
      const hoursEnd = Math.min(end, hourDone);
      const firstHour = ceilTo(start, HOUR_MS);
      const lastHour = floorTo(hoursEnd, HOUR_MS);
      if (firstHour < lastHour) {
        if (start < firstHour) segments.push([MINUTE_MS, start, firstHour, group]);
        segments.push([HOUR_MS, firstHour, lastHour, group]);
        if (lastHour < end) segments.push([MINUTE_MS, lastHour, end, group]);
      } else if (start < end) {
        segments.push([MINUTE_MS, start, end, group]);
      }
    }
    if (to > minuteDone) raw.push({ from: Math.max(from, minuteDone), to, group });
  }
  return { segments, raw };
}

/** Reads sums of points' history over grouped intervals. One instance per computation (it caches progress). */
export class HistoryReader {
  readonly #raw: RawReader;
  readonly #maxHoldMs: number;
  readonly #sql;
  readonly #progress = new Map<number, RollupProgress | null>();
  readonly #firstTimes: Map<number, { value: number | null; at: number }>;

  /** `firstTimes` may be shared between readers: when history begins changes only when retention removes some. */
  constructor(db: Db, maxHoldMs = DEFAULT_MAX_HOLD_MS, firstTimes = new Map<number, { value: number | null; at: number }>()) {
    this.#firstTimes = firstTimes;
    this.#raw = new RawReader(db);
    this.#maxHoldMs = maxHoldMs;
    // The segments as a table with typed columns, made once per statement (reading them from the JSON
    // for every row costs more than the sums). A scalar subquery per segment walks the primary key once
    // and needs no sorting; the groups are summed here.
    const segments = 'WITH seg(res, f, t, g) AS MATERIALIZED (SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each(@segments))';
    const inSegment = (alias: string) => `${alias}.resolution = seg.res AND ${alias}.point = @point AND ${alias}.ts >= seg.f AND ${alias}.ts < seg.t`;
    const stateList = Array.from({ length: STATE_PARAMS }, (_, index) => `@s${index}`).join(', ');
    this.#sql = {
      progress: db.prepare<[number], { minute_done: number; hour_done: number; carry_ts: number | null; carry_value: number | null; carry_quality: number | null }>(
        'SELECT minute_done, hour_done, carry_ts, carry_value, carry_quality FROM rollup_progress WHERE point = ?',
      ),
      sums: db
        .prepare(
          `${segments} SELECT seg.g, sum(r.increase), sum(r.twa * r.covered_ms), sum(r.covered_ms), min(r.min), max(r.max), sum(r.count)
           FROM seg CROSS JOIN rollups AS r ON ${inSegment('r')} GROUP BY seg.g`,
        )
        .raw(),
      increase: db.prepare(`${segments} SELECT seg.g, (SELECT sum(r.increase) FROM rollups AS r WHERE ${inSegment('r')}) FROM seg`).raw(),
      stateTime: db
        .prepare(`${segments} SELECT seg.g, (SELECT sum(s.ms) FROM rollup_states AS s WHERE ${inSegment('s')} AND s.state IN (${stateList})) FROM seg`)
        .raw(),
      states: db
        .prepare(
          `${segments} SELECT seg.g, s.state, sum(s.ms) FROM seg CROSS JOIN rollup_states AS s ON ${inSegment('s')} GROUP BY seg.g, s.state`,
        )
        .raw(),
      last: db
        .prepare(`${segments} SELECT r.last FROM seg CROSS JOIN rollups AS r ON ${inSegment('r')} WHERE r.last IS NOT NULL ORDER BY r.ts DESC LIMIT 1`)
        .pluck(),
      firstRollup: db.prepare('SELECT ts FROM rollups WHERE resolution = ? AND point = ? ORDER BY ts LIMIT 1').pluck(),
      firstSample: db.prepare('SELECT ts FROM samples WHERE point = ? ORDER BY ts LIMIT 1').pluck(),
      rows: db.prepare('SELECT ts, value, quality FROM samples WHERE point = ? AND ts >= ? AND ts <= ? ORDER BY ts').raw(),
      firstBlock: db.prepare('SELECT start_ts FROM sample_blocks WHERE point = ? ORDER BY start_ts LIMIT 1').pluck(),
    };
  }

  get maxHoldMs(): number {
    return this.#maxHoldMs;
  }

  /** The point's rollup progress; null when its rollups have not started (everything is raw). */
  progress(num: number): RollupProgress | null {
    if (this.#progress.has(num)) return this.#progress.get(num)!;
    const row = this.#sql.progress.get(num);
    const progress = row
      ? {
          minuteDone: row.minute_done,
          hourDone: row.hour_done,
          carry: row.carry_ts === null ? null : { ts: row.carry_ts, quality: row.carry_quality ?? 2, lastGood: row.carry_value ?? Number.NaN },
        }
      : null;
    this.#progress.set(num, progress);
    return progress;
  }

  /** Whether every sample before `until` has reached the rollups (so a figure up to then is final). */
  rolledUpTo(num: number, until: number): boolean {
    const progress = this.progress(num);
    if (progress) return progress.minuteDone >= until;
    return this.firstTime(num) === null;
  }

  /** When the point's history begins (its oldest sample, or oldest rollup); null when it has none. */
  firstTime(num: number): number | null {
    const known = this.#firstTimes.get(num);
    const checkedAt = performance.now();
    if (known && (known.value !== null ? checkedAt - known.at < 600_000 : checkedAt - known.at < 5_000)) return known.value;
    const value = this.#readFirstTime(num);
    this.#firstTimes.set(num, { value, at: checkedAt });
    return value;
  }

  #readFirstTime(num: number): number | null {
    const hour = this.#sql.firstRollup.get(HOUR_MS, num) as number | undefined;
    const minute = this.#sql.firstRollup.get(MINUTE_MS, num) as number | undefined;
    const sample = this.#sql.firstSample.get(num) as number | undefined;
    const block = this.#sql.firstBlock.get(num) as number | undefined;
    // Minutes are more precise than hours unless retention has removed the older ones.
    const rolled = minute !== undefined && (hour === undefined || minute < hour + HOUR_MS) ? minute : hour;
    const candidates = [rolled, sample, block].filter((ts): ts is number => ts !== undefined);
    return candidates.length === 0 ? null : Math.min(...candidates);
  }

  /**
   * Sums of the point's history over each group's intervals (`groups` groups, numbered from 0;
   * intervals sorted and disjoint), states included for a state point.
   */
  sums(point: Pick<PointInfo, 'num' | 'kind' | 'wrap'>, intervals: readonly GroupedInterval[], groups: number): Sums[] {
    const sums = Array.from({ length: groups }, emptySums);
    if (intervals.length === 0) return sums;
    const progress = this.progress(point.num);
    const { segments, raw } = this.#split(point.num, intervals);
    if (segments.length > 0) {
      const query = { segments: JSON.stringify(segments), point: point.num };
      for (const [group, increase, integral, covered, min, max, count] of this.#sql.sums.all(query) as [number, number | null, number | null, number | null, number | null, number | null, number][]) {
        const target = sums[group]!;
        target.increase += increase ?? 0;
        target.integral += integral ?? 0;
        target.coveredMs += covered ?? 0;
        if (min !== null && (target.min === null || min < target.min)) target.min = min;
        if (max !== null && (target.max === null || max > target.max)) target.max = max;
        target.count += count;
      }
      if (point.kind === 'state') {
        for (const [group, state, ms] of this.#sql.states.all(query) as [number, number, number][]) {
          const states = sums[group]!.states;
          states.set(state, (states.get(state) ?? 0) + ms);
        }
      }
    }
    if (raw.length > 0) this.#addRaw(point, progress, raw, sums);
    return sums;
  }

  /** How much a counter rose in each group's intervals. */
  increase(point: Pick<PointInfo, 'num' | 'kind' | 'wrap'>, intervals: readonly GroupedInterval[], groups: number): number[] {
    const increases = new Array<number>(groups).fill(0);
    if (intervals.length === 0) return increases;
    const { segments, raw } = this.#split(point.num, intervals);
    if (segments.length > 0) {
      for (const [group, increase] of this.#sql.increase.all({ segments: JSON.stringify(segments), point: point.num }) as [number, number | null][]) {
        increases[group]! += increase ?? 0;
      }
    }
    if (raw.length > 0) {
      const sums = Array.from({ length: groups }, emptySums);
      this.#addRaw(point, this.progress(point.num), raw, sums);
      sums.forEach((sum, group) => (increases[group]! += sum.increase));
    }
    return increases;
  }

  /** Time (ms) a state point spent in any of `states` in each group's intervals. */
  stateTime(point: Pick<PointInfo, 'num' | 'kind' | 'wrap'>, intervals: readonly GroupedInterval[], groups: number, states: readonly number[]): number[] {
    const times = new Array<number>(groups).fill(0);
    if (intervals.length === 0 || states.length === 0) return times;
    const { segments, raw } = this.#split(point.num, intervals);
    if (segments.length > 0) {
      const json = JSON.stringify(segments);
      if (states.length <= STATE_PARAMS) {
        const query: Record<string, unknown> = { segments: json, point: point.num };
        for (let index = 0; index < STATE_PARAMS; index++) query[`s${index}`] = states[index] ?? null;
        for (const [group, ms] of this.#sql.stateTime.all(query) as [number, number | null][]) times[group]! += ms ?? 0;
      } else {
        const wanted = new Set(states);
        for (const [group, state, ms] of this.#sql.states.all({ segments: json, point: point.num }) as [number, number, number][]) {
          if (wanted.has(state)) times[group]! += ms;
        }
      }
    }
    if (raw.length > 0) {
      const sums = Array.from({ length: groups }, emptySums);
      this.#addRaw(point, this.progress(point.num), raw, sums);
      sums.forEach((sum, group) => {
        for (const state of states) times[group]! += sum.states.get(state) ?? 0;
      });
    }
    return times;
  }

  #split(num: number, intervals: readonly GroupedInterval[]) {
    const progress = this.progress(num);
    return splitByForm(intervals, progress?.minuteDone ?? Number.NEGATIVE_INFINITY, progress?.hourDone ?? Number.NEGATIVE_INFINITY);
  }

  /** The last good value in the intervals, or null. */
  last(point: Pick<PointInfo, 'num' | 'kind' | 'wrap'>, intervals: readonly GroupedInterval[]): number | null {
    if (intervals.length === 0) return null;
    const { segments, raw } = this.#split(point.num, intervals);
    for (const part of [...raw].reverse()) {
      const samples = this.samples(point.num, part.from, part.to - 1);
      for (let index = samples.length - 1; index >= 0; index--) {
        const sample = samples[index]!;
        if (sample.quality === GOOD && !Number.isNaN(sample.value)) return sample.value;
      }
    }
    if (segments.length === 0) return null;
    return (this.#sql.last.get({ segments: JSON.stringify(segments), point: point.num }) as number | undefined) ?? null;
  }

  /** The raw samples of a point in [from, to], in time order. */
  samples(num: number, from: number, to: number): RawSample[] {
    // The upkeep packs only hours before the one its rollups have reached: later samples are plain rows.
    const progress = this.progress(num);
    if (progress && from >= Math.floor(progress.minuteDone / HOUR_MS) * HOUR_MS) {
      return (this.#sql.rows.all(num, from, to) as [number, number | null, number][]).map(([ts, value, quality]) => ({ ts, value: value ?? Number.NaN, quality }));
    }
    return this.#raw.read(num, from, to);
  }

  #addRaw(point: Pick<PointInfo, 'num' | 'kind' | 'wrap'>, progress: RollupProgress | null, parts: GroupedInterval[], sums: Sums[]): void {
    const sorted = [...parts].sort((a, b) => a.from - b.from);
    const from = progress ? progress.minuteDone : sorted[0]!.from - this.#maxHoldMs;
    const until = Math.max(...sorted.map((part) => part.to));
    const samples = this.samples(point.num, from, until - 1);
    walkHeld(
      samples,
      progress?.carry ?? null,
      from,
      until,
      this.#maxHoldMs,
      (span) => addSpan(span, sorted, sums, point.kind),
      (sample, increase) => {
        const index = findInterval(sorted, sample.ts);
        if (index < 0) return;
        const target = sums[sorted[index]!.group]!;
        target.count++;
        target.increase += increase;
      },
      point.wrap,
    );
  }
}
