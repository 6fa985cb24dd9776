// A clock that re-renders its users once a second (relative times, staleness, the trend's moving
// window). One timer for the whole app, running only while something listens.
import { useSyncExternalStore } from 'react';
import { coreNow } from '../store/index.ts';

const listeners = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    now = coreNow();
    timer = setInterval(() => {
      now = coreNow();
      for (const notify of [...listeners]) notify();
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** The core's current time, updated every second. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, () => now);
}
