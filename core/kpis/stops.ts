// Stops: the stretches in which a machine did not run, found in the raw samples of its state point
// (rollups sum time per state but lose the order, so they cannot tell one long stop from ten short
// ones). Detection is incremental: each machine's scan carries on from where it stopped (its last
// sample, the stop still open), and only what is final — older than the newest few seconds, and
// already rolled up by the historian — is stored; the newest stretch is scanned in memory each time.
// A stop shorter than the machine's micro-stop limit is a micro-stop: its time is also summed per
// minute and hour (kpi_micro_stops), so a month of them is read like a month of rollups. Operators
// give reasons to the other stops; reasons are kept apart, so finding stops again never loses one.
import type { MachineState } from '../../shared/contract/kpi-calls.ts';
import type { Machine } from '../../shared/domain/machines.ts';
import { HOUR_MS, MINUTE_MS, type RawSample, type RollupCarry } from '../historian/rollup.ts';
import type { Db } from '../storage/database.ts';
import { walkHeld, type HeldSpan, type HistoryReader, type PointInfo } from './history.ts';
import type { Interval } from './intervals.ts';

/** States a stop can be in (everything but running). */
export type StopState = Exclude<MachineState, 'running'>;

/** Which state wins a stop when it spent equal time in two (the more serious first). */
const STOP_STATE_ORDER: readonly StopState[] = ['alarm', 'stopped', 'offline', 'idle', 'unknown'];

export interface Stop {
  start: number;
  end: number;
  /** The state it spent most time in. */
  state: StopState;
  micro: boolean;
}

export interface StopWithReason extends Stop {
  reason: string | null;
  reasonBy: string | null;
  reasonAt: number | null;
  /** Still going on at the time asked about (its end is that time). */
  open: boolean;
}

/** A stop not closed yet: when it began and how long it has spent in each state. */
interface OpenStop {
  start: number;
  ms: Partial<Record<StopState, number>>;
}

interface ScanCarry {
  sample: RollupCarry | null;
  open: OpenStop | null;
}

interface ScanRow {
  signature: string;
  micro_ms: number;
  scanned_from: number;
  scanned_to: number;
  carry: string | null;
}

/** What a machine's state code means. */
export function classify(machine: Pick<Machine, 'runningStates' | 'idleStates' | 'alarmStates'>, value: number): MachineState {
  if (machine.runningStates.includes(value)) return 'running';
  if (machine.alarmStates.includes(value)) return 'alarm';
  if (machine.idleStates.includes(value)) return 'idle';
  return 'stopped';
}

/** The machine state a stretch of the held state signal stands for. */
export function spanState(machine: Pick<Machine, 'runningStates' | 'idleStates' | 'alarmStates'>, span: HeldSpan): MachineState {
  if (span.known === 'value') return classify(machine, span.value);
  return span.known === 'bad' ? 'offline' : 'unknown';
}

function dominant(ms: Partial<Record<StopState, number>>): StopState {
  let best: StopState = 'unknown';
  let bestMs = -1;
  for (const state of STOP_STATE_ORDER) {
    const spent = ms[state] ?? 0;
    if (spent > bestMs) {
      best = state;
      bestMs = spent;
    }
  }
  return best;
}

/** Walks the state samples over [from, until) on from `carry`; returns the stops closed in it and the new carry. */
export function findStops(
  machine: Pick<Machine, 'runningStates' | 'idleStates' | 'alarmStates' | 'microStopS'>,
  samples: readonly RawSample[],
  carry: ScanCarry,
  from: number,
  until: number,
  maxHoldMs: number,
): { closed: Stop[]; carry: ScanCarry } {
  const closed: Stop[] = [];
  const microMs = machine.microStopS * 1000;
  let open: OpenStop | null = carry.open ? { start: carry.open.start, ms: { ...carry.open.ms } } : null;
  const sample = walkHeld(samples, carry.sample, from, until, maxHoldMs, (span) => {
    const state = spanState(machine, span);
    if (state === 'running') {
      if (open) {
        closed.push({ start: open.start, end: span.from, state: dominant(open.ms), micro: span.from - open.start < microMs });
        open = null;
      }
      return;
    }
    open ??= { start: span.from, ms: {} };
    open.ms[state] = (open.ms[state] ?? 0) + (span.to - span.from);
  });
  return { closed, carry: { sample, open } };
}

/** A scan's signature: what, if changed, makes the stored stops wrong (the state point and the meaning of its values). */
function signatureOf(machine: Machine, statePoint: PointInfo, maxHoldMs: number): string {
  return JSON.stringify([statePoint.num, statePoint.id, [...machine.runningStates].sort(), [...machine.idleStates].sort(), [...machine.alarmStates].sort(), maxHoldMs]);
}

/** Splits [start, end) at multiples of `unit`, calling back with each piece's start and length. */
function pieces(start: number, end: number, unit: number, each: (ts: number, ms: number) => void): void {
  let at = start;
  while (at < end) {
    const bucket = Math.floor(at / unit) * unit;
    const next = Math.min(end, bucket + unit);
    each(bucket, next - at);
    at = next;
  }
}

/** Micro-stops are kept one by one for as long as raw samples are (by default); their sums per hour for ever, per minute for two years. */
export const MICRO_STOPS_KEPT_MS = 90 * 86_400_000;
export const MICRO_MINUTES_KEPT_MS = 730 * 86_400_000;

export interface StopTrackerOptions {
  now: number;
  /** Samples may still arrive this late (the historian's maintenance waits as long). */
  lateMs?: number;
}

/** The stops found and stored for machines, and the newest stretch scanned in memory. */
export class StopTracker {
  readonly #db: Db;
  readonly #history: HistoryReader;
  readonly #now: number;
  readonly #lateMs: number;
  readonly #sql;
  /** Per machine: stops closed after the stored scan end, and the stop open at the time asked (scanned in memory). */
  readonly #live = new Map<string, { until: number; closed: Stop[]; open: Stop | null }>();

  constructor(db: Db, history: HistoryReader, options: StopTrackerOptions) {
    this.#db = db;
    this.#history = history;
    this.#now = options.now;
    this.#lateMs = options.lateMs ?? 10_000;
    this.#sql = {
      scan: db.prepare<[string], ScanRow>('SELECT signature, micro_ms, scanned_from, scanned_to, carry FROM kpi_stop_scan WHERE machine_id = ?'),
      saveScan: db.prepare(
        `INSERT INTO kpi_stop_scan (machine_id, signature, micro_ms, scanned_from, scanned_to, carry) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(machine_id) DO UPDATE SET signature = excluded.signature, micro_ms = excluded.micro_ms,
           scanned_from = excluded.scanned_from, scanned_to = excluded.scanned_to, carry = excluded.carry`,
      ),
      deleteStops: db.prepare('DELETE FROM kpi_stops WHERE machine_id = ?'),
      deleteMicro: db.prepare('DELETE FROM kpi_micro_stops WHERE machine_id = ?'),
      insertStop: db.prepare('INSERT OR REPLACE INTO kpi_stops (machine_id, start_ts, end_ts, state, micro) VALUES (?, ?, ?, ?, ?)'),
      deleteStop: db.prepare('DELETE FROM kpi_stops WHERE machine_id = ? AND start_ts = ?'),
      stopAt: db.prepare<[string, number], { start_ts: number; end_ts: number; state: string; micro: number }>(
        'SELECT start_ts, end_ts, state, micro FROM kpi_stops WHERE machine_id = ? AND start_ts = ?',
      ),
      addMicro: db.prepare(
        `INSERT INTO kpi_micro_stops (machine_id, resolution, ts, ms, count) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(machine_id, resolution, ts) DO UPDATE SET ms = ms + excluded.ms, count = count + excluded.count`,
      ),
      reclassify: db.prepare('UPDATE kpi_stops SET micro = (end_ts - start_ts < ?) WHERE machine_id = ? AND end_ts >= ?'),
      deleteMicroSince: db.prepare('DELETE FROM kpi_micro_stops WHERE machine_id = ? AND resolution = ? AND ts >= ?'),
      stopsSince: db.prepare('SELECT start_ts, end_ts FROM kpi_stops WHERE machine_id = ? AND micro = 1 AND end_ts > ?').raw(),
      pruneStops: db.prepare('DELETE FROM kpi_stops WHERE machine_id = ? AND micro = 1 AND end_ts < ?'),
      pruneMinutes: db.prepare(`DELETE FROM kpi_micro_stops WHERE machine_id = ? AND resolution = ${MINUTE_MS} AND ts < ?`),
      stopsIn: db
        .prepare(
          `SELECT s.start_ts, s.end_ts, s.state, s.micro, r.reason, r.set_by, r.set_at FROM kpi_stops AS s INDEXED BY kpi_stops_by_end
           LEFT JOIN kpi_stop_reasons AS r ON r.machine_id = s.machine_id AND r.stop_start = s.start_ts
           WHERE s.machine_id = ? AND s.micro = ? AND s.end_ts > ? AND s.end_ts < ? AND s.start_ts < ? ORDER BY s.start_ts`,
        )
        .raw(),
      microSums: db
        .prepare(
          `WITH seg(res, f, t, g) AS MATERIALIZED (SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each(?))
           SELECT seg.g, (SELECT sum(m.ms) FROM kpi_micro_stops AS m WHERE m.machine_id = ? AND m.resolution = seg.res AND m.ts >= seg.f AND m.ts < seg.t) FROM seg`,
        )
        .raw(),
      reasonOf: db.prepare<[string, number], { reason: string; set_by: string; set_at: number }>(
        'SELECT reason, set_by, set_at FROM kpi_stop_reasons WHERE machine_id = ? AND stop_start = ?',
      ),
      moveReason: db.prepare('UPDATE OR REPLACE kpi_stop_reasons SET stop_start = ? WHERE machine_id = ? AND stop_start = ?'),
      firstRow: db.prepare('SELECT ts FROM samples WHERE point = ? ORDER BY ts LIMIT 1').pluck(),
      firstBlock: db.prepare('SELECT start_ts FROM sample_blocks WHERE point = ? ORDER BY start_ts LIMIT 1').pluck(),
      // Stops do not overlap: the one that began last ended last.
      lastEnd: db.prepare('SELECT end_ts FROM kpi_stops WHERE machine_id = ? ORDER BY start_ts DESC LIMIT 1').pluck(),
    };
  }

  /** Where stored (final) stops end for a point: samples may still arrive for the newest seconds. */
  #finalUntil(statePoint: PointInfo): number {
    const progress = this.#history.progress(statePoint.num);
    const settled = this.#now - this.#lateMs;
    return progress ? Math.min(settled, progress.minuteDone) : settled;
  }

  /** The sample held at `at` (the last one before it, within the hold time), as a carry. */
  #carryAt(statePoint: PointInfo, at: number): RollupCarry | null {
    const before = this.#history.samples(statePoint.num, at - this.#history.maxHoldMs, at - 1);
    const last = before.at(-1);
    if (!last) return null;
    return { ts: last.ts, quality: last.quality, lastGood: last.quality === 0 ? last.value : Number.NaN };
  }

  /** The oldest raw sample of a point still stored; null when it has none. */
  #rawStart(statePoint: PointInfo): number | null {
    const row = this.#sql.firstRow.get(statePoint.num) as number | undefined;
    const block = this.#sql.firstBlock.get(statePoint.num) as number | undefined;
    const candidates = [row, block].filter((ts): ts is number => ts !== undefined);
    return candidates.length === 0 ? null : Math.min(...candidates);
  }

  #store(machineId: string, stops: readonly Stop[]): void {
    for (const stop of stops) {
      this.#sql.insertStop.run(machineId, stop.start, stop.end, stop.state, stop.micro ? 1 : 0);
      if (stop.micro) this.#addMicro(machineId, stop.start, stop.end, 1);
    }
  }

  #addMicro(machineId: string, start: number, end: number, sign: 1 | -1): void {
    pieces(start, end, MINUTE_MS, (ts, ms) => this.#sql.addMicro.run(machineId, MINUTE_MS, ts, sign * ms, ts === Math.floor(start / MINUTE_MS) * MINUTE_MS ? sign : 0));
    pieces(start, end, HOUR_MS, (ts, ms) => this.#sql.addMicro.run(machineId, HOUR_MS, ts, sign * ms, ts === Math.floor(start / HOUR_MS) * HOUR_MS ? sign : 0));
  }

  /**
   * Stops sorted again after the micro-stop limit changed, and micro-stop time summed again — as far
   * back as micro-stops are kept one by one (older sums stay as they were).
   */
  #reclassify(machineId: string, microMs: number): void {
    const since = Math.floor((this.#now - MICRO_STOPS_KEPT_MS) / HOUR_MS) * HOUR_MS;
    this.#sql.reclassify.run(microMs, machineId, since);
    this.#sql.deleteMicroSince.run(machineId, MINUTE_MS, since);
    this.#sql.deleteMicroSince.run(machineId, HOUR_MS, since);
    for (const [start, end] of this.#sql.stopsSince.all(machineId, since) as [number, number][]) this.#addMicro(machineId, Math.max(start, since), end, 1);
  }

  /** Removes micro-stops kept one by one past their time, and per-minute sums past theirs (in one transaction). */
  prune(machineId: string): void {
    this.#db
      .transaction(() => {
        this.#sql.pruneStops.run(machineId, this.#now - MICRO_STOPS_KEPT_MS);
        this.#sql.pruneMinutes.run(machineId, this.#now - MICRO_MINUTES_KEPT_MS);
      })
      .immediate();
  }

  /**
   * Makes the machine's stops known over [from, until): stores what is final (scanning back to
   * `from` if the stored stops begin later, and on up to the settled time), and scans the rest in memory.
   */
  prepare(machine: Machine, statePoint: PointInfo, from: number, until: number): void {
    this.prepareMany([{ machine, statePoint, from, until }]);
  }

  /**
   * `prepare` for several machines. What has to be stored is written in one transaction (taken at
   * once, so it waits for the historian's writer rather than failing on a stale snapshot); a machine
   * whose stored scan is less than a minute behind is only scanned in memory.
   */
  prepareMany(requests: readonly { machine: Machine; statePoint: PointInfo; from: number; until: number }[]): void {
    const slow = requests.filter((request) => this.#needsWrite(request.machine, request.statePoint, request.from));
    if (slow.length > 0) {
      this.#db
        .transaction(() => {
          for (const request of slow) this.#prepareOne(request.machine, request.statePoint, request.from, request.until);
        })
        .immediate();
    }
    for (const request of requests) if (!slow.includes(request)) this.#prepareOne(request.machine, request.statePoint, request.from, request.until);
  }

  #needsWrite(machine: Machine, statePoint: PointInfo, from: number): boolean {
    const row = this.#sql.scan.get(machine.id);
    if (!row) return this.#rawStart(statePoint) !== null;
    if (row.signature !== signatureOf(machine, statePoint, this.#history.maxHoldMs) || row.micro_ms !== machine.microStopS * 1000) return true;
    if (this.#finalUntil(statePoint) - row.scanned_to >= MINUTE_MS) return true;
    if (from < row.scanned_from) {
      const rawStart = this.#rawStart(statePoint);
      return rawStart !== null && rawStart < row.scanned_from;
    }
    return false;
  }

  #prepareOne(machine: Machine, statePoint: PointInfo, from: number, until: number): void {
    const maxHoldMs = this.#history.maxHoldMs;
    const signature = signatureOf(machine, statePoint, maxHoldMs);
    const microMs = machine.microStopS * 1000;
    const finalUntil = this.#finalUntil(statePoint);
    let row = this.#sql.scan.get(machine.id);
    let changed = false;
    if (row && row.signature !== signature) {
      this.#sql.deleteStops.run(machine.id);
      this.#sql.deleteMicro.run(machine.id);
      row = undefined;
    }
    if (row && row.micro_ms !== microMs) {
      this.#reclassify(machine.id, microMs);
      changed = true;
    }
    let carry: ScanCarry;
    let scannedFrom: number;
    let scannedTo: number;
    if (!row) {
      // Nothing before the oldest raw sample can be scanned (retention removed it, or there was none).
      const rawStart = this.#rawStart(statePoint);
      if (rawStart === null) {
        this.#live.set(machine.id, { until, closed: [], open: null });
        return;
      }
      const start = Math.max(from, rawStart);
      scannedFrom = start;
      scannedTo = start;
      carry = { sample: this.#carryAt(statePoint, start), open: null };
      changed = true;
    } else {
      scannedFrom = row.scanned_from;
      scannedTo = row.scanned_to;
      carry = row.carry ? (JSON.parse(row.carry) as ScanCarry) : { sample: null, open: null };
      if (from < scannedFrom) {
        const backTo = Math.max(from, this.#rawStart(statePoint) ?? scannedFrom);
        if (backTo < scannedFrom) {
          carry = this.#scanBack(machine, statePoint, backTo, scannedFrom, carry);
          scannedFrom = backTo;
          changed = true;
        }
      }
    }
    if (finalUntil - scannedTo >= MINUTE_MS || (changed && finalUntil > scannedTo)) {
      const samples = this.#history.samples(statePoint.num, scannedTo, finalUntil - 1);
      const found = findStops(machine, samples, carry, scannedTo, finalUntil, maxHoldMs);
      this.#store(machine.id, found.closed);
      carry = found.carry;
      scannedTo = finalUntil;
      changed = true;
    }
    if (changed) this.#sql.saveScan.run(machine.id, signature, microMs, scannedFrom, scannedTo, JSON.stringify(carry));
    // The newest stretch, in memory only.
    const liveUntil = Math.max(until, scannedTo);
    const tail = liveUntil > scannedTo ? this.#history.samples(statePoint.num, scannedTo, liveUntil - 1) : [];
    const live = liveUntil > scannedTo ? findStops(machine, tail, carry, scannedTo, liveUntil, maxHoldMs) : { closed: [], carry };
    const open = live.carry.open;
    this.#live.set(machine.id, {
      until: liveUntil,
      closed: live.closed,
      open: open && { start: open.start, end: liveUntil, state: dominant(open.ms), micro: liveUntil - open.start < microMs },
    });
  }

  /** Scans [from, to) before the stored stops and joins a stop running at `to` with the stored one it continues. */
  #scanBack(machine: Machine, statePoint: PointInfo, from: number, to: number, carry: ScanCarry): ScanCarry {
    const samples = this.#history.samples(statePoint.num, from, to - 1);
    const found = findStops(machine, samples, { sample: this.#carryAt(statePoint, from), open: null }, from, to, this.#history.maxHoldMs);
    const microMs = machine.microStopS * 1000;
    this.#store(machine.id, found.closed);
    const before = found.carry.open;
    if (!before) return carry;
    if (carry.open && carry.open.start === to) {
      // The stop still open at the stored end began before: it starts earlier now.
      const ms = { ...carry.open.ms };
      for (const [state, spent] of Object.entries(before.ms) as [StopState, number][]) ms[state] = (ms[state] ?? 0) + spent;
      return { ...carry, open: { start: before.start, ms } };
    }
    const continued = this.#sql.stopAt.get(machine.id, to);
    if (continued) {
      this.#sql.deleteStop.run(machine.id, to);
      if (continued.micro) this.#addMicro(machine.id, continued.start_ts, continued.end_ts, -1);
      this.#sql.moveReason.run(before.start, machine.id, to);
      this.#store(machine.id, [{ start: before.start, end: continued.end_ts, state: continued.state as StopState, micro: continued.end_ts - before.start < microMs }]);
    } else {
      this.#store(machine.id, [{ start: before.start, end: to, state: dominant(before.ms), micro: to - before.start < microMs }]);
    }
    return carry;
  }

  /** Stops that are not micro-stops and overlap [from, to), with their reasons; `prepare` first. */
  longStops(machineId: string, from: number, to: number): StopWithReason[] {
    return this.#stops(machineId, false, from, to);
  }

  /** Every stop overlapping [from, to), micro-stops too; `prepare` first. */
  allStops(machineId: string, from: number, to: number): StopWithReason[] {
    return [...this.#stops(machineId, false, from, to), ...this.#stops(machineId, true, from, to)].sort((a, b) => a.start - b.start);
  }

  #stops(machineId: string, micro: boolean, from: number, to: number): StopWithReason[] {
    // A micro-stop is short: one ending more than its limit after `to` began after it (limits are at most an hour).
    const endBound = micro ? to + HOUR_MS : Number.MAX_SAFE_INTEGER;
    const rows = this.#sql.stopsIn.all(machineId, micro ? 1 : 0, from, endBound, to) as [number, number, StopState, number, string | null, string | null, number | null][];
    const stops: StopWithReason[] = rows.map(([start, end, state, , reason, reasonBy, reasonAt]) => ({ start, end, state, micro, reason, reasonBy, reasonAt, open: false }));
    const live = this.#live.get(machineId);
    if (live) {
      for (const stop of [...live.closed, ...(live.open ? [live.open] : [])]) {
        if (stop.micro !== micro || stop.end <= from || stop.start >= to) continue;
        const reason = this.#sql.reasonOf.get(machineId, stop.start);
        stops.push({ ...stop, reason: reason?.reason ?? null, reasonBy: reason?.set_by ?? null, reasonAt: reason?.set_at ?? null, open: stop === live.open });
      }
    }
    return stops;
  }

  /**
   * Micro-stop time per group over grouped intervals (sorted, disjoint, minute-aligned): the stored
   * sums per hour and minute, and the micro-stops of the newest stretch clipped exactly.
   */
  microStopMs(machineId: string, intervals: readonly (Interval & { group: number })[], groups: number): number[] {
    const sums = new Array<number>(groups).fill(0);
    const row = this.#sql.scan.get(machineId);
    const storedTo = row?.scanned_to ?? Number.NEGATIVE_INFINITY;
    const segments: [number, number, number, number][] = [];
    for (const { from, to, group } of intervals) {
      const end = Math.min(to, storedTo);
      if (from >= end) continue;
      const firstHour = Math.ceil(from / HOUR_MS) * HOUR_MS;
      const lastHour = Math.floor(end / HOUR_MS) * HOUR_MS;
      if (firstHour < lastHour) {
        if (from < firstHour) segments.push([MINUTE_MS, from, firstHour, group]);
        segments.push([HOUR_MS, firstHour, lastHour, group]);
        if (lastHour < end) segments.push([MINUTE_MS, lastHour, end, group]);
      } else {
        segments.push([MINUTE_MS, from, end, group]);
      }
    }
    if (segments.length > 0) {
      for (const [group, ms] of this.#sql.microSums.all(JSON.stringify(segments), machineId) as [number, number | null][]) sums[group]! += ms ?? 0;
    }
    const live = this.#live.get(machineId);
    if (live) {
      for (const stop of [...live.closed, ...(live.open ? [live.open] : [])]) {
        if (!stop.micro) continue;
        for (const { from, to, group } of intervals) {
          const ms = Math.min(to, stop.end) - Math.max(from, stop.start);
          if (ms > 0) sums[group]! += ms;
        }
      }
    }
    return sums;
  }

  /** The stop open at the time `prepare` was asked about, if the machine was not running then. */
  openStop(machineId: string): Stop | null {
    return this.#live.get(machineId)?.open ?? null;
  }

  /** When the machine last stopped running before the time asked about (the end of its last stop); null when unknown. */
  lastStopEnd(machineId: string): number | null {
    const live = this.#live.get(machineId);
    const liveEnd = live?.closed.at(-1)?.end;
    if (liveEnd !== undefined) return liveEnd;
    return (this.#sql.lastEnd.get(machineId) as number | undefined) ?? null;
  }

  /**
   * Up to when a machine's stops are final: stored, and classified (a stop still open is not known
   * to be a micro-stop or not until it has lasted the limit).
   */
  finalThrough(machineId: string, microMs: number): number {
    const row = this.#sql.scan.get(machineId);
    if (!row) return Number.NEGATIVE_INFINITY;
    const carry = row.carry ? (JSON.parse(row.carry) as ScanCarry) : null;
    if (carry?.open && row.scanned_to - carry.open.start < microMs) return carry.open.start;
    return row.scanned_to;
  }
}
