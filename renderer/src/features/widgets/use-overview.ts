// The hook a KPI widget reads its figures with: it keeps the period's feed running while the widget
// is on screen, and re-renders the widget only when what `select` picks changes (pick parts of the
// answer or plain values, never build new objects in `select`).
import { useEffect } from 'react';
import type { KpiPeriod } from '../../../../shared/contract/kpi-calls.ts';
import { acquireFeed, LOADING_FEED, useOverviewFeeds, type OverviewFeed } from './overview-feed.ts';

export function useOverview<T>(period: KpiPeriod, select: (feed: OverviewFeed) => T): T {
  useEffect(() => acquireFeed(period), [period]);
  return useOverviewFeeds((state) => select(state.feeds[period] ?? LOADING_FEED));
}
