// The clock floor (COMMERCE.md, "Time"): the earliest moment it can honestly be now. It is the latest
// of the licence's issued-at, the cloud's signed time, the last wall-clock time seen and the newest
// usage record, plus the monotonic time elapsed while the app runs. Setting the PC's clock back
// therefore never gives a licence more days: validity is computed from the floor. A wall clock more
// than a day below the floor is "suspect", and the user is asked to set it right.
//
// Pure and deterministic: every time comes in as an argument. The caller persists `toJSON()` (e.g.
// after each `advance`) and feeds it back through `fromJSON` at the next start.
import { DAY_MS } from '../kpis/calendar.ts';

/** How far the wall clock may lag the floor before it counts as set back (time zones, a drifting CMOS clock). */
export const CLOCK_SUSPECT_MS = DAY_MS;

/** One look at the clocks: the wall clock (`Date.now()`) and, while running, a monotonic one (`performance.now()`). */
export interface ClockReading {
  wallClock: number;
  /** Milliseconds from an arbitrary origin that only moves forward while this process runs; not persisted. */
  monotonic?: number;
}

/** What the floor says about a clock reading. */
export interface TimeCheck {
  /** The time to judge validity by: the wall clock, but never below the floor. */
  now: number;
  floor: number;
  wallClock: number;
  /** The wall clock is more than a day below the floor: it was set back (or the battery died). */
  suspect: boolean;
}

/** The persisted form. */
export interface TimeFloorJSON {
  v: 1;
  /** The floor when last saved. */
  floor: number;
  /** The newest signed server time accepted; an older one cannot reset the floor (no replaying old answers). */
  serverTime: number;
}

const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/**
 * The clock floor of one installation.
 * @example
 * const floor = TimeFloor.fromJSON(saved);
 * const time = floor.advance({ wallClock: Date.now(), monotonic: performance.now() });
 * save(floor.toJSON());
 */
export class TimeFloor {
  #floor: number;
  #serverTime: number;
  /** The floor at a monotonic reading of this run, so time elapsed while running counts even with the wall clock set back. */
  #anchor: { floor: number; monotonic: number } | undefined;

  constructor(floor = 0, serverTime = 0) {
    this.#floor = isTime(floor) ? floor : 0;
    this.#serverTime = isTime(serverTime) ? serverTime : 0;
  }

  /** The floor from its saved form; a missing or damaged one starts from nothing (the licence's own times still count). */
  static fromJSON(json: unknown): TimeFloor {
    const saved = json as Partial<TimeFloorJSON> | null | undefined;
    if (!saved || typeof saved !== 'object' || saved.v !== 1 || !isTime(saved.floor) || !isTime(saved.serverTime)) return new TimeFloor();
    return new TimeFloor(Math.max(saved.floor, saved.serverTime), saved.serverTime);
  }

  toJSON(): TimeFloorJSON {
    return { v: 1, floor: this.#floor, serverTime: this.#serverTime };
  }

  /** The newest signed server time accepted so far (0 before the first sync). */
  get serverTime(): number {
    return this.#serverTime;
  }

  /** The floor at a reading, counting monotonic time elapsed since the last anchor of this run. */
  floorAt(monotonic?: number): number {
    const anchor = this.#anchor;
    if (anchor && monotonic !== undefined && monotonic >= anchor.monotonic) {
      return Math.max(this.#floor, anchor.floor + (monotonic - anchor.monotonic));
    }
    return this.#floor;
  }

  /**
   * Judges a reading without recording it. `trustedTimes` are times from verified documents (a
   * licence's issued-at and server time) that raise the floor for this answer only.
   */
  check(reading: ClockReading, trustedTimes: readonly number[] = []): TimeCheck {
    const floor = Math.max(this.floorAt(reading.monotonic), ...trustedTimes.filter(isTime));
    return {
      now: Math.max(reading.wallClock, floor),
      floor,
      wallClock: reading.wallClock,
      suspect: reading.wallClock < floor - CLOCK_SUSPECT_MS,
    };
  }

  /**
   * Records a reading: the wall clock seen becomes part of the floor (a clock set back stays below
   * it), and the monotonic clock is anchored. Returns the check of the reading against the floor
   * as it was before.
   */
  advance(reading: ClockReading): TimeCheck {
    const check = this.check(reading);
    this.#floor = check.now;
    if (reading.monotonic !== undefined) this.#anchor = { floor: this.#floor, monotonic: reading.monotonic };
    return check;
  }

  /** Raises the floor to a time from a verified document: a licence's issued-at, the newest usage record. */
  raise(trustedTime: number, monotonic?: number): void {
    if (!isTime(trustedTime) || trustedTime <= this.floorAt(monotonic)) return;
    this.#floor = trustedTime;
    if (monotonic !== undefined) this.#anchor = { floor: trustedTime, monotonic };
  }

  /**
   * Resets the floor to the cloud's signed time (verified by the caller) — also downwards, so a PC
   * whose clock once ran ahead recovers at the next sync. A server time older than one already
   * accepted is ignored, so an old answer cannot be replayed to wind the floor back.
   * @returns whether the floor was reset
   */
  acceptServerTime(serverTime: number, monotonic?: number): boolean {
    if (!isTime(serverTime) || serverTime < this.#serverTime) return false;
    this.#serverTime = serverTime;
    this.#floor = serverTime;
    this.#anchor = monotonic === undefined ? undefined : { floor: serverTime, monotonic };
    return true;
  }
}
