// The historian's background upkeep, run on the writer's connection between ingest batches, in
// steps of a few milliseconds so writes never wait long:
// - rollups: each closed minute of each point summed up (core/historian/rollup.ts), and each closed
//   hour from its minutes — kept a minute behind the data, so long-range charts and KPIs read them;
// - compaction: each closed hour of raw samples (older than the newest `hotMs`, and already rolled
//   up) packed into one compressed block (core/historian/block-codec.ts), its plain rows deleted;
// - retention: history past its keeping time removed (a step function handed in).
// Every step is one transaction: a kill mid-step leaves the step undone, never half done.
import { type Point } from '../../shared/index.ts';
import type { Db } from '../storage/database.ts';
import { decodeBlock, encodeBlock, type ValueHint } from './block-codec.ts';
import { mergeByTime } from './raw-reader.ts';
import { HOUR_MS, MINUTE_MS, mergeRows, rollUp, type RawSample, type RollupCarry, type RollupRow } from './rollup.ts';

export interface MaintenanceOptions {
  now?: () => number;
  /** The newest stretch of samples kept as plain rows. */
  hotMs?: number;
  /** How long after a minute ends its samples may still arrive. */
  lateMs?: number;
  /** Longest a value holds without a newer sample (see rollup.ts). */
  maxHoldMs?: number;
  /** Removes at most about `budgetRows` rows past their retention; says whether more remains. */
  retention?: (now: number, budgetRows: number) => { deleted: number; more: boolean };
}

interface PointPlan {
  num: number;
  kind: Point['kind'];
  /** Longest this point's value holds without a newer sample: a few of its scans, at least maxHoldMs. */
  maxHoldMs: number;
  wrap: number | undefined;
  hint: ValueHint;
}

interface Progress {
  minute_done: number;
  hour_done: number;
  carry_ts: number | null;
  carry_value: number | null;
  carry_quality: number | null;
}

/** Most minutes one visit rolls up for one point (a long backlog is worked off over several steps). */
const MAX_SPAN_MS = 24 * HOUR_MS;
const POINTS_REFRESH_MS = 10_000;

const floorTo = (ts: number, periodMs: number) => Math.floor(ts / periodMs) * periodMs;

/** The scaled value at which a counter register rolls over to zero, for the unsigned register types. */
function wrapOf(config: Partial<Point>): number | undefined {
  const scale = config.scale ?? 1;
  if (config.dataType === 'uint16') return 65_536 * scale;
  if (config.dataType === 'uint32') return 4_294_967_296 * scale;
  return undefined;
}

export class HistorianMaintenance {
  readonly #db: Db;
  readonly #now: () => number;
  readonly #hotMs: number;
  readonly #lateMs: number;
  readonly #maxHoldMs: number;
  readonly #retention: MaintenanceOptions['retention'];
  readonly #sql;
  #points: PointPlan[] = [];
  #pointsLoadedAt = Number.NEGATIVE_INFINITY;
  #cursor = 0;

  constructor(db: Db, options: MaintenanceOptions = {}) {
    this.#db = db;
    this.#now = options.now ?? Date.now;
    this.#hotMs = options.hotMs ?? 10 * MINUTE_MS;
    this.#lateMs = options.lateMs ?? 10_000;
    this.#maxHoldMs = options.maxHoldMs ?? 120_000;
    this.#retention = options.retention;
    this.#sql = {
      points: db.prepare<[], { num: number; config: string }>('SELECT num, config FROM points ORDER BY num'),
      progress: db.prepare<[number], Progress>('SELECT minute_done, hour_done, carry_ts, carry_value, carry_quality FROM rollup_progress WHERE point = ?'),
      saveProgress: db.prepare(
        `INSERT INTO rollup_progress (point, minute_done, hour_done, carry_ts, carry_value, carry_quality) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(point) DO UPDATE SET minute_done = excluded.minute_done, hour_done = excluded.hour_done,
           carry_ts = excluded.carry_ts, carry_value = excluded.carry_value, carry_quality = excluded.carry_quality`,
      ),
      oldestRow: db.prepare<[number], number>('SELECT ts FROM samples WHERE point = ? ORDER BY ts LIMIT 1').pluck(),
      rows: db.prepare('SELECT ts, value, quality FROM samples WHERE point = ? AND ts >= ? AND ts < ? ORDER BY ts').raw(),
      insertRollup: db.prepare(
        `INSERT OR REPLACE INTO rollups (resolution, point, ts, count, min, max, first, last, sum, twa, covered_ms, increase)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertState: db.prepare('INSERT OR REPLACE INTO rollup_states (resolution, point, ts, state, ms) VALUES (?, ?, ?, ?, ?)'),
      minutes: db.prepare(
        `SELECT ts, count, min, max, first, last, sum, twa, covered_ms AS coveredMs, increase FROM rollups
         WHERE resolution = ${MINUTE_MS} AND point = ? AND ts >= ? AND ts < ? ORDER BY ts`,
      ),
      minuteStates: db.prepare(`SELECT ts, state, ms FROM rollup_states WHERE resolution = ${MINUTE_MS} AND point = ? AND ts >= ? AND ts < ?`).raw(),
      blocksIn: db.prepare('SELECT start_ts, data FROM sample_blocks WHERE point = ? AND start_ts >= ? AND start_ts < ?').raw(),
      deleteBlock: db.prepare('DELETE FROM sample_blocks WHERE point = ? AND start_ts = ?'),
      insertBlock: db.prepare('INSERT INTO sample_blocks (point, start_ts, end_ts, count, data) VALUES (?, ?, ?, ?, ?)'),
      deleteRows: db.prepare('DELETE FROM samples WHERE point = ? AND ts >= ? AND ts < ?'),
    };
  }

  /**
   * Does about `budgetMs` of upkeep in one transaction, visiting points in turn. Returns whether
   * there is more to do now (call again soon) or all is up to date (call again in a while).
   */
  step(budgetMs = 20): boolean {
    const started = performance.now();
    const now = this.#now();
    this.#refreshPoints(now);
    let more = false;
    this.#db.transaction(() => {
      let idleVisits = 0;
      while (this.#points.length > 0 && idleVisits < this.#points.length) {
        if (performance.now() - started > budgetMs) {
          more = true;
          return;
        }
        this.#cursor = this.#cursor % this.#points.length;
        const point = this.#points[this.#cursor++]!;
        if (this.#visit(point, now)) idleVisits = 0;
        else idleVisits++;
      }
      if (this.#retention) {
        const left = Math.max(1, budgetMs - (performance.now() - started));
        more = this.#retention(now, Math.ceil(left * 200)).more;
      }
    })();
    return more;
  }

  /** Everything due now, step after step (tests and tools; the writer thread paces its steps). */
  runUntilIdle(maxSteps = 100_000): void {
    for (let step = 0; step < maxSteps && this.step(50); step++);
  }

  #refreshPoints(now: number): void {
    if (now - this.#pointsLoadedAt < POINTS_REFRESH_MS && now >= this.#pointsLoadedAt) return;
    this.#pointsLoadedAt = now;
    this.#points = this.#sql.points.all().map(({ num, config }) => {
      let parsed: Partial<Point> = {};
      try {
        parsed = JSON.parse(config) as Partial<Point>;
      } catch {
        // A damaged config is the device store's to report; its samples are summed as a measurement.
      }
      return {
        num,
        kind: parsed.kind ?? 'analog',
        maxHoldMs: Math.max(this.#maxHoldMs, 3 * (parsed.scanMs ?? 0)),
        wrap: wrapOf(parsed),
        hint: { scale: parsed.scale ?? 1, offset: parsed.offset ?? 0 },
      };
    });
  }

  /** Rolls up and compacts what is due for one point; false when nothing was. */
  #visit(point: PointPlan, now: number): boolean {
    const progress = this.#progressOf(point.num);
    if (!progress) return false;
    let worked = this.#rollUpMinutes(point, progress, now);
    worked = this.#rollUpHours(point, progress) || worked;
    if (worked) {
      this.#sql.saveProgress.run(point.num, progress.minute_done, progress.hour_done, progress.carry_ts, progress.carry_value, progress.carry_quality);
    }
    return this.#compactOneHour(point, progress, now) || worked;
  }

  #progressOf(num: number): Progress | undefined {
    const stored = this.#sql.progress.get(num);
    if (stored) return stored;
    const oldest = this.#sql.oldestRow.get(num);
    if (oldest === undefined) return undefined;
    return { minute_done: floorTo(oldest, MINUTE_MS), hour_done: floorTo(oldest, HOUR_MS), carry_ts: null, carry_value: null, carry_quality: null };
  }

  #rollUpMinutes(point: PointPlan, progress: Progress, now: number): boolean {
    const closed = floorTo(now - this.#lateMs, MINUTE_MS);
    if (progress.minute_done >= closed) return false;
    const from = progress.minute_done;
    const until = Math.min(closed, from + MAX_SPAN_MS);
    const samples = (this.#sql.rows.all(point.num, from, until) as [number, number | null, number][]).map(
      ([ts, value, quality]): RawSample => ({ ts, value: value ?? Number.NaN, quality }),
    );
    const carry: RollupCarry | null =
      progress.carry_ts === null ? null : { ts: progress.carry_ts, quality: progress.carry_quality ?? 2, lastGood: progress.carry_value ?? Number.NaN };
    const result = rollUp(samples, carry, from, until, { kind: point.kind, periodMs: MINUTE_MS, maxHoldMs: point.maxHoldMs, wrap: point.wrap });
    for (const row of result.rows) this.#storeRow(MINUTE_MS, point.num, row);
    progress.minute_done = until;
    if (result.carry) {
      progress.carry_ts = result.carry.ts;
      progress.carry_quality = result.carry.quality;
      progress.carry_value = Number.isNaN(result.carry.lastGood) ? null : result.carry.lastGood;
    }
    return true;
  }

  #rollUpHours(point: PointPlan, progress: Progress): boolean {
    const closed = floorTo(progress.minute_done, HOUR_MS);
    if (progress.hour_done >= closed) return false;
    const minutes = this.#sql.minutes.all(point.num, progress.hour_done, closed) as RollupRow[];
    const states = this.#sql.minuteStates.all(point.num, progress.hour_done, closed) as [number, number, number][];
    const byHour = new Map<number, RollupRow[]>();
    for (const minute of minutes) {
      minute.states = point.kind === 'state' ? new Map() : null;
      const hour = floorTo(minute.ts, HOUR_MS);
      const list = byHour.get(hour) ?? [];
      list.push(minute);
      byHour.set(hour, list);
    }
    const minuteAt = new Map(minutes.map((minute) => [minute.ts, minute]));
    for (const [ts, state, ms] of states) minuteAt.get(ts)?.states?.set(state, ms);
    for (const [hour, parts] of byHour) this.#storeRow(HOUR_MS, point.num, mergeRows(hour, parts, point.kind));
    progress.hour_done = closed;
    return true;
  }

  #storeRow(resolution: number, num: number, row: RollupRow): void {
    this.#sql.insertRollup.run(resolution, num, row.ts, row.count, row.min, row.max, row.first, row.last, row.sum, row.twa, row.coveredMs, row.increase);
    if (row.states) for (const [state, ms] of row.states) this.#sql.insertState.run(resolution, num, row.ts, state, ms);
  }

  /** Packs the oldest closed hour of plain rows into a block (merging a block already there). */
  #compactOneHour(point: PointPlan, progress: Progress, now: number): boolean {
    const oldest = this.#sql.oldestRow.get(point.num);
    if (oldest === undefined) return false;
    const cutoff = Math.min(floorTo(now - this.#hotMs, HOUR_MS), floorTo(progress.minute_done, HOUR_MS));
    if (oldest >= cutoff) return false;
    const hour = floorTo(oldest, HOUR_MS);
    const rows = (this.#sql.rows.all(point.num, hour, hour + HOUR_MS) as [number, number | null, number][]).map(
      ([ts, value, quality]): RawSample => ({ ts, value: value ?? Number.NaN, quality }),
    );
    let samples = rows;
    for (const [startTs, data] of this.#sql.blocksIn.all(point.num, hour, hour + HOUR_MS) as [number, Uint8Array][]) {
      samples = mergeByTime(blockSamples(data), samples);
      this.#sql.deleteBlock.run(point.num, startTs);
    }
    const encoded = encodeBlock(
      {
        ts: Float64Array.from(samples, (sample) => sample.ts),
        values: Float64Array.from(samples, (sample) => sample.value),
        qualities: Uint8Array.from(samples, (sample) => sample.quality),
      },
      point.hint,
    );
    this.#sql.insertBlock.run(point.num, samples[0]!.ts, samples.at(-1)!.ts, samples.length, encoded);
    this.#sql.deleteRows.run(point.num, hour, hour + HOUR_MS);
    return true;
  }
}

function blockSamples(data: Uint8Array): RawSample[] {
  const block = decodeBlock(data);
  return Array.from(block.ts, (ts, index) => ({ ts, value: block.values[index]!, quality: block.qualities[index]! }));
}
