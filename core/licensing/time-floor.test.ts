import { describe, expect, it } from 'vitest';
import { CLOCK_SUSPECT_MS, TimeFloor } from './time-floor.ts';

const DAY = 86_400_000;
const T = Date.UTC(2025, 2, 1);

describe('time floor', () => {
  it('keeps the last wall-clock time seen across a restart', () => {
    const floor = new TimeFloor();
    expect(floor.advance({ wallClock: T })).toMatchObject({ now: T, suspect: false });
    const restarted = TimeFloor.fromJSON(JSON.parse(JSON.stringify(floor.toJSON())));
    expect(restarted.check({ wallClock: T - 7 * DAY })).toEqual({ now: T, floor: T, wallClock: T - 7 * DAY, suspect: true });
    // Recording a clock set back does not lower the floor.
    restarted.advance({ wallClock: T - 7 * DAY });
    expect(restarted.toJSON().floor).toBe(T);
  });

  it('calls a clock suspect only more than a day below the floor', () => {
    const floor = new TimeFloor(T);
    expect(floor.check({ wallClock: T - CLOCK_SUSPECT_MS })).toMatchObject({ suspect: false, now: T });
    expect(floor.check({ wallClock: T - CLOCK_SUSPECT_MS - 1 })).toMatchObject({ suspect: true, now: T });
    expect(floor.check({ wallClock: T + 5 })).toMatchObject({ suspect: false, now: T + 5 });
  });

  it('adds monotonic time elapsed while running, even with the wall clock standing still', () => {
    const floor = new TimeFloor(T);
    floor.advance({ wallClock: T - 7 * DAY, monotonic: 500 });
    expect(floor.check({ wallClock: T - 7 * DAY, monotonic: 500 + 2 * DAY })).toMatchObject({ now: T + 2 * DAY, suspect: true });
    floor.advance({ wallClock: T - 7 * DAY, monotonic: 500 + 2 * DAY });
    expect(floor.toJSON().floor).toBe(T + 2 * DAY);
    // A monotonic reading from before the anchor (another process) adds nothing.
    expect(floor.check({ wallClock: 0, monotonic: 10 }).floor).toBe(T + 2 * DAY);
  });

  it('takes trusted times from verified documents, and resets to a newer signed server time only', () => {
    const floor = new TimeFloor();
    floor.raise(T);
    expect(floor.check({ wallClock: T - 2 * DAY })).toMatchObject({ suspect: true, now: T });
    // The PC's clock once ran a year ahead: the next sync's signed time brings the floor back.
    floor.advance({ wallClock: T + 365 * DAY });
    expect(floor.acceptServerTime(T + DAY)).toBe(true);
    expect(floor.check({ wallClock: T + DAY })).toMatchObject({ suspect: false, now: T + DAY });
    // An older signed answer, replayed, cannot wind the floor back.
    floor.advance({ wallClock: T + 10 * DAY });
    expect(floor.acceptServerTime(T)).toBe(false);
    expect(floor.toJSON()).toEqual({ v: 1, floor: T + 10 * DAY, serverTime: T + DAY });
    // Trusted times passed to a check raise it for that answer only.
    expect(floor.check({ wallClock: T }, [T + 20 * DAY])).toMatchObject({ now: T + 20 * DAY, suspect: true });
    expect(floor.toJSON().floor).toBe(T + 10 * DAY);
  });

  it('starts from nothing when the saved floor is missing or damaged', () => {
    for (const saved of [undefined, null, 'x', { v: 2, floor: T, serverTime: 0 }, { v: 1, floor: -1, serverTime: 0 }, { v: 1, floor: T }]) {
      expect(TimeFloor.fromJSON(saved).toJSON()).toEqual({ v: 1, floor: 0, serverTime: 0 });
    }
    expect(TimeFloor.fromJSON({ v: 1, floor: T, serverTime: T + 1 }).toJSON()).toEqual({ v: 1, floor: T + 1, serverTime: T + 1 });
  });
});
