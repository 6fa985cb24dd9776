// The live figures of the KPI widgets: one `kpis.overview` answer per period (this shift, today, …),
// read once for all the widgets that show that period, again a few seconds after new samples arrive
// (never two reads of a period at once), and paused while the window is hidden. Each answer shares
// the unchanged parts of the previous one, so a widget or a machine card whose figures did not change
// is not drawn again: 50 machines updating every second touch only what moved.
import { create } from 'zustand';
import type { KpiPeriod } from '../../../../shared/contract/kpi-calls.ts';
import { bridge, connection } from '../../api/index.ts';
import { LOADING_FEED, nextFeed, type OverviewFeed } from './feed-state.ts';
import { readOverview } from './kpi-source.ts';
import { RefreshScheduler, type SchedulerOptions } from './refresh-scheduler.ts';

export { LOADING_FEED, type FeedStatus, type OverviewFeed } from './feed-state.ts';

interface FeedsState {
  feeds: Partial<Record<KpiPeriod, OverviewFeed>>;
}

export const useOverviewFeeds = create<FeedsState>()(() => ({ feeds: {} }));

interface RunningFeed {
  users: number;
  scheduler: RefreshScheduler;
}

const running = new Map<KpiPeriod, RunningFeed>();
let options: SchedulerOptions = { minIntervalMs: 5000, maxIntervalMs: 30_000 };
let stopListening: (() => void) | null = null;

function schedulerOptions(refreshSeconds: number): SchedulerOptions {
  const minIntervalMs = Math.max(1000, refreshSeconds * 1000);
  return { minIntervalMs, maxIntervalMs: Math.max(minIntervalMs, Math.min(60_000, 6 * minIntervalMs)) };
}

/** How often the figures are read again while samples arrive (the dashboard's refreshSeconds). */
export function setFeedRefresh(refreshSeconds: number): void {
  const next = schedulerOptions(refreshSeconds);
  if (next.minIntervalMs === options.minIntervalMs) return;
  options = next;
  for (const feed of running.values()) feed.scheduler.setOptions(options);
}

function listen(): () => void {
  let previous = connection.state();
  const onVisibility = () => {
    for (const feed of running.values()) {
      if (document.hidden) feed.scheduler.stop();
      else feed.scheduler.start();
    }
  };
  document.addEventListener('visibilitychange', onVisibility);
  const stops = [
    bridge.on('samples.appended', () => {
      for (const feed of running.values()) feed.scheduler.poke();
    }),
    connection.subscribe((state) => {
      if (state === 'open' && previous !== 'open') for (const feed of running.values()) feed.scheduler.now();
      previous = state;
    }),
  ];
  return () => {
    document.removeEventListener('visibilitychange', onVisibility);
    for (const stop of stops) stop();
  };
}

/** How long a period's reader outlives its last widget. */
const RELEASE_DELAY_MS = 2000;

/** Starts reading a period's figures for one more widget; returns the function that lets go. */
export function acquireFeed(period: KpiPeriod): () => void {
  let feed = running.get(period);
  if (!feed) {
    const scheduler = new RefreshScheduler(async () => {
      const result = await readOverview(period);
      if (running.get(period)?.scheduler !== scheduler) return;
      const state = useOverviewFeeds.getState();
      const previous = state.feeds[period] ?? LOADING_FEED;
      const next = nextFeed(previous, result);
      if (next !== previous) useOverviewFeeds.setState({ feeds: { ...state.feeds, [period]: next } });
    }, options);
    feed = { users: 0, scheduler };
    running.set(period, feed);
    stopListening ??= listen();
    if (!document.hidden) scheduler.start();
  }
  feed.users++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const current = running.get(period);
    if (!current) return;
    current.users--;
    if (current.users > 0) return;
    // Kept a moment: widgets that mount again at once (another dashboard, a new layout) take over
    // the same reader instead of starting a second read of the period beside one still in flight.
    setTimeout(() => {
      if (current.users > 0 || running.get(period) !== current) return;
      current.scheduler.stop();
      running.delete(period);
      if (running.size === 0) {
        stopListening?.();
        stopListening = null;
      }
    }, RELEASE_DELAY_MS);
  };
}

/** Reads every running period again now (after a save, a change of settings). */
export function refreshFeeds(): void {
  for (const feed of running.values()) feed.scheduler.now();
}
