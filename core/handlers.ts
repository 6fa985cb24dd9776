// The core's implementation of every call in the contract.
import { AppError, effectiveQuality, type LatestValue, type Point } from '../shared/index.ts';
import type { Handlers } from './contract/dispatcher.ts';
import type { DeviceManager, DeviceStore, StoredPoint } from './devices/index.ts';
import type { TrendReader } from './historian/index.ts';
import { APP_NAME, APP_VERSION } from './version.ts';
import { initialStatus } from './devices/device-poller.ts';

export interface HandlerDeps {
  hostKind: 'electron' | 'web';
  demo: boolean;
  /** Where the demo plant's machines answer, by machine, while it runs. */
  demoEndpoints: () => Record<string, { host: string; port: number }> | undefined;
  startedAt: number;
  store: DeviceStore;
  devices: DeviceManager;
  trends: TrendReader;
  pointById: (id: string) => StoredPoint | undefined;
}

/** A value older than three scans (and at least five seconds) is no longer live. */
export function withFreshness(point: Point, latest: LatestValue | undefined, now: number): LatestValue | null {
  if (!latest) return null;
  const quality = effectiveQuality(latest, point.scanMs, now);
  return quality === latest.quality ? latest : { ...latest, quality };
}

export function createHandlers(deps: HandlerDeps): Pick<Handlers, 'app.info' | 'devices.list' | 'points.list' | 'historian.query'> {
  return {
    'app.info': () => ({
      name: APP_NAME,
      version: APP_VERSION,
      host: deps.hostKind,
      demo: deps.demo,
      demoEndpoints: deps.demoEndpoints() ?? null,
      startedAt: deps.startedAt,
      serverTime: Date.now(),
    }),

    'devices.list': () =>
      deps.store.listDevices().map((device) => ({
        ...device,
        status: deps.devices.status(device.id) ?? initialStatus(device.id, device.enabled),
      })),

    'points.list': ({ deviceId }) => {
      if (deviceId !== undefined && !deps.store.getDevice(deviceId)) {
        throw new AppError('not_found', 'error.deviceNotFound', { params: { device: deviceId } });
      }
      const now = Date.now();
      return deps.store.listPoints(deviceId).map(({ num: _num, ...point }) => ({
        ...point,
        latest: withFreshness(point, deps.devices.latest(point.id), now),
      }));
    },

    'historian.query': ({ pointIds, from, to, maxPoints }) => {
      if (to < from) {
        throw new AppError('invalid_input', 'error.rangeInvalid', {
          params: { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
        });
      }
      const series = pointIds.map((pointId) => {
        const point = deps.pointById(pointId);
        if (!point) throw new AppError('not_found', 'error.pointNotFound', { params: { point: pointId } });
        return { pointId, ...deps.trends.read({ num: point.num, from, to, maxPoints }) };
      });
      return { series };
    },
  };
}
