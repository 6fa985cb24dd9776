// The live figures of the KPI widgets: one `kpis.overview` answer per period (this shift, today, …),
// read by the shared feed runner (feed-runner.ts: once for all widgets of a period, again after new
// samples arrive, paused while hidden). Each answer shares the unchanged parts of the previous one, so
// a widget or a machine card whose figures did not change is not drawn again: 50 machines updating
// every second touch only what moved.
import { create } from 'zustand';
import type { KpiPeriod } from '../../../../shared/contract/kpi-calls.ts';
import { LOADING_FEED, nextFeed, type OverviewFeed } from './feed-state.ts';
import { createFeedRunner } from './feed-runner.ts';
import { readOverview } from './kpi-source.ts';

export { LOADING_FEED, type FeedStatus, type OverviewFeed } from './feed-state.ts';
export { refreshFeeds, setFeedRefresh } from './feed-runner.ts';

interface FeedsState {
  feeds: Partial<Record<KpiPeriod, OverviewFeed>>;
}

export const useOverviewFeeds = create<FeedsState>()(() => ({ feeds: {} }));

const overviews = createFeedRunner<KpiPeriod>(async (period, current) => {
  const result = await readOverview(period);
  if (!current()) return;
  const state = useOverviewFeeds.getState();
  const previous = state.feeds[period] ?? LOADING_FEED;
  const next = nextFeed(previous, result);
  if (next !== previous) useOverviewFeeds.setState({ feeds: { ...state.feeds, [period]: next } });
});

/** Starts reading a period's figures for one more widget; returns the function that lets go. */
export function acquireFeed(period: KpiPeriod): () => void {
  return overviews.acquire(period);
}
