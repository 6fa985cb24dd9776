// A clock for "stopped for 12 min" on the machine cards: it ticks every 30 seconds, so fifty cards
// are not drawn again every second for a figure that changes once a minute.
import { useSyncExternalStore } from 'react';
import { coreNow } from '../../store/index.ts';

const TICK_MS = 30_000;
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
    }, TICK_MS);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** The core's time, updated every 30 seconds. */
export function useSlowClock(): number {
  return useSyncExternalStore(subscribe, () => now);
}
