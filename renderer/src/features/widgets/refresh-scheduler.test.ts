import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RefreshScheduler, type SchedulerTimers } from './refresh-scheduler.ts';

const timers: SchedulerTimers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** A read that stays in flight until `finish` is called. */
function controlledRead() {
  const pending: (() => void)[] = [];
  const read = vi.fn(() => new Promise<void>((resolve) => pending.push(resolve)));
  return { read, finish: async () => { pending.shift()?.(); await vi.advanceTimersByTimeAsync(0); } };
}

describe('refresh scheduler', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('reads at once, then after samples no sooner than the minimum interval', async () => {
    const { read, finish } = controlledRead();
    const scheduler = new RefreshScheduler(read, { minIntervalMs: 5000, maxIntervalMs: 30_000 }, timers);
    scheduler.start();
    expect(read).toHaveBeenCalledTimes(1);
    await finish();
    // Samples every second: one read per five seconds, not one per sample.
    for (let second = 1; second <= 4; second++) {
      scheduler.poke();
      await vi.advanceTimersByTimeAsync(1000);
    }
    expect(read).toHaveBeenCalledTimes(1);
    scheduler.poke();
    await vi.advanceTimersByTimeAsync(1000);
    expect(read).toHaveBeenCalledTimes(2);
    scheduler.stop();
  });

  it('never has two reads in flight; samples during a slow read cause one read after it', async () => {
    const { read, finish } = controlledRead();
    const scheduler = new RefreshScheduler(read, { minIntervalMs: 1000, maxIntervalMs: 10_000 }, timers);
    scheduler.start();
    for (let tick = 0; tick < 8; tick++) {
      scheduler.poke();
      scheduler.now();
      await vi.advanceTimersByTimeAsync(1000);
    }
    expect(read).toHaveBeenCalledTimes(1);
    expect(scheduler.inFlight).toBe(true);
    await finish();
    // The read took 8 s, longer than the interval: the next one starts right after it.
    await vi.advanceTimersByTimeAsync(0);
    expect(read).toHaveBeenCalledTimes(2);
    scheduler.stop();
  });

  it('reads at the maximum interval without samples, and stops when stopped', async () => {
    const read = vi.fn(async () => {});
    const scheduler = new RefreshScheduler(read, { minIntervalMs: 2000, maxIntervalMs: 15_000 }, timers);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(14_000);
    expect(read).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(read).toHaveBeenCalledTimes(2);
    scheduler.stop();
    scheduler.poke();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('keeps going after a failed read', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const read = vi.fn(async () => {
      throw new Error('core gone');
    });
    const scheduler = new RefreshScheduler(read, { minIntervalMs: 1000, maxIntervalMs: 3000 }, timers);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(3000);
    expect(read).toHaveBeenCalledTimes(2);
    scheduler.stop();
    errors.mockRestore();
  });
});
