// Clocks that re-render their users at a steady pace (relative times, staleness, the trend's moving
// window): one timer per pace for the whole app, running only while something listens.
import { useSyncExternalStore } from 'react';
import { coreNow } from '../store/index.ts';

/** A hook giving the core's current time, updated every `tickMs`. */
export function createClock(tickMs: number): () => number {
  const listeners = new Set<() => void>();
  let now = Date.now();
  let timer: ReturnType<typeof setInterval> | undefined;
  const subscribe = (listener: () => void): (() => void) => {
    listeners.add(listener);
    if (!timer) {
      now = coreNow();
      timer = setInterval(() => {
        now = coreNow();
        for (const notify of [...listeners]) notify();
      }, tickMs);
    }
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && timer) {
        clearInterval(timer);
        timer = undefined;
      }
    };
  };
  const snapshot = () => now;
  return () => useSyncExternalStore(subscribe, snapshot);
}

/** The core's current time, updated every second. */
export const useNow = createClock(1000);
