// Runs the readers of the widgets' live figures — a period's plant overview, a stored KPI over a
// period — one per key, shared by every widget that shows it: read at once, again a few seconds after
// new samples arrive (never two reads of one key at once), at least every so often, paused while the
// window is hidden, and kept a moment after its last widget leaves.
import { bridge, connection } from '../../api/index.ts';
import { RefreshScheduler, type SchedulerOptions } from './refresh-scheduler.ts';

interface RunningFeed {
  users: number;
  scheduler: RefreshScheduler;
}

/** The running readers of every runner, for the settings and events they all follow. */
const everyRunner = new Set<Map<unknown, RunningFeed>>();
let options: SchedulerOptions = { minIntervalMs: 5000, maxIntervalMs: 30_000 };
let stopListening: (() => void) | null = null;

const allFeeds = (): RunningFeed[] => [...everyRunner].flatMap((running) => [...running.values()]);

function schedulerOptions(refreshSeconds: number): SchedulerOptions {
  const minIntervalMs = Math.max(1000, refreshSeconds * 1000);
  return { minIntervalMs, maxIntervalMs: Math.max(minIntervalMs, Math.min(60_000, 6 * minIntervalMs)) };
}

/** How often the figures are read again while samples arrive (the dashboard's refreshSeconds). */
export function setFeedRefresh(refreshSeconds: number): void {
  const next = schedulerOptions(refreshSeconds);
  if (next.minIntervalMs === options.minIntervalMs) return;
  options = next;
  for (const feed of allFeeds()) feed.scheduler.setOptions(options);
}

/** Reads every running feed again now (after a save, a change of settings). */
export function refreshFeeds(): void {
  for (const feed of allFeeds()) feed.scheduler.now();
}

function listen(): () => void {
  let previous = connection.state();
  const onVisibility = () => {
    for (const feed of allFeeds()) {
      if (document.hidden) feed.scheduler.stop();
      else feed.scheduler.start();
    }
  };
  document.addEventListener('visibilitychange', onVisibility);
  const stops = [
    bridge.on('samples.appended', () => {
      for (const feed of allFeeds()) feed.scheduler.poke();
    }),
    connection.subscribe((state) => {
      if (state === 'open' && previous !== 'open') for (const feed of allFeeds()) feed.scheduler.now();
      previous = state;
    }),
  ];
  return () => {
    document.removeEventListener('visibilitychange', onVisibility);
    for (const stop of stops) stop();
  };
}

/** How long a reader outlives its last widget. */
const RELEASE_DELAY_MS = 2000;

export interface FeedRunner<Key> {
  /** Starts reading a key's figures for one more widget; returns the function that lets go. */
  acquire(key: Key): () => void;
}

/**
 * A runner whose `read(key, current)` fetches a key's figures and stores them; `current()` turns false
 * once the reader was replaced or stopped (its answer is then dropped).
 */
export function createFeedRunner<Key>(read: (key: Key, current: () => boolean) => Promise<void>): FeedRunner<Key> {
  const running = new Map<Key, RunningFeed>();
  everyRunner.add(running as Map<unknown, RunningFeed>);
  return {
    acquire(key) {
      let feed = running.get(key);
      if (!feed) {
        const scheduler: RefreshScheduler = new RefreshScheduler(() => read(key, () => running.get(key)?.scheduler === scheduler), options);
        feed = { users: 0, scheduler };
        running.set(key, feed);
        stopListening ??= listen();
        if (!document.hidden) scheduler.start();
      }
      feed.users++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const current = running.get(key);
        if (!current) return;
        current.users--;
        if (current.users > 0) return;
        // Kept a moment: widgets that mount again at once (another dashboard, a new layout) take over
        // the same reader instead of starting a second read beside one still in flight.
        setTimeout(() => {
          if (current.users > 0 || running.get(key) !== current) return;
          current.scheduler.stop();
          running.delete(key);
          if (allFeeds().length === 0) {
            stopListening?.();
            stopListening = null;
          }
        }, RELEASE_DELAY_MS);
      };
    },
  };
}
