// Keeps the stores in step with the core: loads app info, devices and points, applies live events,
// loads the trend window, and loads everything again after the live link comes back (events sent
// while it was down are lost).
import type { Sample } from '../../../shared/domain/devices.ts';
import { bridge, connection, type ConnectionState } from '../api/index.ts';
import {
  coreNow,
  mergeLiveSamples,
  TREND_WINDOW_MS,
  useAppStore,
  useDevicesStore,
  usePointsStore,
  useSettingsStore,
  useTrendStore,
  windowFromSeries,
  type TrendWindows,
} from '../store/index.ts';
import { reportError } from './report-error.ts';

/** Loads app info, devices and points; failures become banners. */
export async function loadPlant(): Promise<void> {
  try {
    const sentAt = Date.now();
    const [info, devices, points] = await Promise.all([
      bridge.call('app.info', {}),
      bridge.call('devices.list', {}),
      bridge.call('points.list', {}),
    ]);
    const receivedAt = Date.now();
    useAppStore.setState({ info, clockOffsetMs: info.serverTime - Math.round((sentAt + receivedAt) / 2), loaded: true });
    useDevicesStore.getState().setDevices(devices);
    usePointsStore.getState().setPoints(points);
  } catch (error) {
    reportError(error);
  }
}

/** Reads storage.status again (at start, after the live link returns, on storage.statusChanged). */
export async function loadStorageStatus(): Promise<void> {
  try {
    useSettingsStore.setState({ storage: await bridge.call('storage.status', {}) });
  } catch (error) {
    reportError(error);
  }
}

/** Loads devices and points again, after a device or its register map changed. */
export async function reloadDevicesAndPoints(): Promise<void> {
  try {
    const [devices, points] = await Promise.all([bridge.call('devices.list', {}), bridge.call('points.list', {})]);
    useDevicesStore.getState().setDevices(devices);
    usePointsStore.getState().setPoints(points);
  } catch (error) {
    reportError(error);
  }
}

let trendRequest = 0;
/** Live samples that arrive while the historian answers; merged into its answer. */
let samplesDuringQuery: Sample[] | null = null;
let lastTrendQuery: { pointIds: string[]; maxPoints: number } | null = null;

/** Loads the last 10 minutes of `pointIds` from the historian, about `maxPoints` chart points each. */
export async function loadTrend(pointIds: readonly string[], maxPoints: number): Promise<void> {
  const request = ++trendRequest;
  lastTrendQuery = { pointIds: [...pointIds], maxPoints };
  const sameSeries = useTrendStore.getState().pointIds.join('\n') === pointIds.join('\n');
  if (pointIds.length === 0) {
    samplesDuringQuery = null;
    useTrendStore.setState({ pointIds: [], windows: {}, status: 'idle' });
    return;
  }
  samplesDuringQuery = [];
  // Reloading the same series (after a reconnect) keeps the lines on screen until the answer comes.
  if (!sameSeries) useTrendStore.setState({ pointIds: [...pointIds], windows: {}, status: 'loading' });

  const to = coreNow();
  const from = to - TREND_WINDOW_MS;
  try {
    const { series } = await bridge.call('historian.query', {
      pointIds: [...pointIds],
      from,
      to,
      maxPoints: Math.round(Math.min(5000, Math.max(10, maxPoints))),
    });
    if (request !== trendRequest) return;
    const loaded: Record<string, ReturnType<typeof windowFromSeries>> = {};
    const bucketMs: Record<string, number> = {};
    for (const pointId of pointIds) {
      const answer = series.find((entry) => entry.pointId === pointId);
      loaded[pointId] = windowFromSeries(answer?.points ?? [], from);
      bucketMs[pointId] = answer?.bucketMs ?? 0;
    }
    const windows = mergeLiveSamples(loaded, samplesDuringQuery ?? [], coreNow() - TREND_WINDOW_MS);
    samplesDuringQuery = null;
    useTrendStore.setState({ pointIds: [...pointIds], windows, bucketMs, status: 'ready' });
  } catch (error) {
    if (request !== trendRequest) return;
    samplesDuringQuery = null;
    // Draw from live samples from now on, so the chart is not empty for good.
    const empty: TrendWindows = Object.fromEntries(pointIds.map((id) => [id, []]));
    useTrendStore.setState({ pointIds: [...pointIds], windows: empty, status: 'ready' });
    reportError(error);
  }
}

function applySamples(samples: readonly Sample[]): void {
  usePointsStore.getState().applySamples(samples);
  if (samplesDuringQuery) {
    samplesDuringQuery.push(...samples);
    return;
  }
  const trend = useTrendStore.getState();
  if (trend.status !== 'ready') return;
  const windows = mergeLiveSamples(trend.windows, samples, coreNow() - TREND_WINDOW_MS);
  if (windows !== trend.windows) useTrendStore.setState({ windows });
}

/** Starts loading and listening; returns the function that stops listening. */
export function startLiveData(): () => void {
  let previous: ConnectionState = connection.state();
  useAppStore.setState({ connection: previous });
  const stops = [
    bridge.on('samples.appended', ({ samples }) => applySamples(samples)),
    bridge.on('devices.statusChanged', ({ status }) => useDevicesStore.getState().applyStatus(status)),
    bridge.on('devices.changed', () => void reloadDevicesAndPoints()),
    bridge.on('storage.statusChanged', () => void loadStorageStatus()),
    connection.subscribe((state) => {
      useAppStore.setState({ connection: state });
      if (state === 'open' && previous !== 'open' && useAppStore.getState().loaded) {
        void loadPlant();
        void loadStorageStatus();
        if (lastTrendQuery) void loadTrend(lastTrendQuery.pointIds, lastTrendQuery.maxPoints);
      }
      previous = state;
    }),
  ];
  void loadPlant();
  void loadStorageStatus();
  return () => {
    for (const stop of stops) stop();
  };
}
