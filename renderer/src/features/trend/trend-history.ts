// Reads the Trends page's history from the historian and keeps it current from live samples. Only
// the newest request counts: an answer that arrives after a newer request was made is dropped.
// Samples that arrive while the historian answers are kept and added to its answer.
import type { Sample } from '../../../../shared/domain/devices.ts';
import { bridge } from '../../api/index.ts';
import { reportError } from '../../app/report-error.ts';
import { appendLiveSamples, lineFromSeries, type HistoryLine } from '../../store/trend-series.ts';
import { useTrendPageStore } from '../../store/trend-page-store.ts';
import type { HistoryQuery } from './view-query.ts';

let latestRequest = 0;
let samplesDuringQuery: Sample[] | null = null;

/** Reads `query` for `pointIds` and puts the answer on the chart, marked with `key` (what it was read for). */
export async function loadHistory(pointIds: readonly string[], query: HistoryQuery, key: string): Promise<void> {
  const request = ++latestRequest;
  if (pointIds.length === 0) {
    samplesDuringQuery = null;
    useTrendPageStore.setState({ lines: {}, loaded: null, status: 'idle' });
    return;
  }
  samplesDuringQuery = [];
  useTrendPageStore.setState({ status: 'loading' });
  try {
    const { series } = await bridge.call('historian.query', {
      pointIds: [...pointIds],
      from: query.from,
      to: query.to,
      maxPoints: query.maxPoints,
    });
    if (request !== latestRequest) return;
    const lines: Record<string, HistoryLine> = {};
    for (const pointId of pointIds) lines[pointId] = lineFromSeries(series.find((entry) => entry.pointId === pointId));
    const allRaw = Object.values(lines).every((line) => line.bucketMs === 0);
    const withLive = query.live ? appendLiveSamples(lines, samplesDuringQuery ?? []) : lines;
    samplesDuringQuery = null;
    useTrendPageStore.setState({ lines: withLive, loaded: { ...query, allRaw, key }, status: 'ready' });
  } catch (error) {
    if (request !== latestRequest) return;
    samplesDuringQuery = null;
    // Keep what is on screen; the banner says why the new range could not be read.
    useTrendPageStore.setState({ status: 'ready' });
    reportError(error);
  }
}

/**
 * Adds live samples to the lines on the chart when they reach the live end, dropping what slid out
 * of the range (before `cutoff`).
 */
export function applyLiveSamples(samples: readonly Sample[], cutoff: number): void {
  if (samplesDuringQuery) {
    samplesDuringQuery.push(...samples);
    return;
  }
  const state = useTrendPageStore.getState();
  if (state.status !== 'ready' || !state.loaded?.live) return;
  const lines = appendLiveSamples(state.lines, samples, cutoff);
  if (lines !== state.lines) useTrendPageStore.setState({ lines });
}

/** Forgets pending answers, so one that arrives after the page closed is not applied. */
export function stopHistory(): void {
  latestRequest++;
  samplesDuringQuery = null;
}
