// Runs every enabled device: one link per physical connection (devices behind one gateway or on one
// RS-485 bus share it), one poller per device. Keeps the latest value of every point.
import type { DeviceStatus, LatestValue, Sample } from '../../shared/index.ts';
import type { Logger } from '../host.ts';
import type { DeviceStore } from './device-store.ts';
import { DevicePoller } from './device-poller.ts';
import { linkKey, ModbusLink, type LinkOptions } from './modbus-link.ts';

export interface DeviceManagerEvents {
  samples(samples: Sample[]): void;
  status(status: DeviceStatus): void;
}

const STATUS_REFRESH_MS = 2000;

export class DeviceManager {
  readonly #store: DeviceStore;
  readonly #logger: Logger;
  readonly #events: DeviceManagerEvents;
  readonly #linkOptions: LinkOptions;
  readonly #links = new Map<string, ModbusLink>();
  readonly #pollers = new Map<string, DevicePoller>();
  readonly #latest = new Map<string, LatestValue>();
  #statusTimer: NodeJS.Timeout | undefined;

  constructor(store: DeviceStore, logger: Logger, events: DeviceManagerEvents, linkOptions: LinkOptions = {}) {
    this.#store = store;
    this.#logger = logger;
    this.#events = events;
    this.#linkOptions = linkOptions;
  }

  /** Starts polling every device in the store (stopping whatever ran before). */
  start(): void {
    this.stop();
    const points = this.#store.listPoints();
    for (const device of this.#store.listDevices()) {
      const key = linkKey(device.connection);
      let link = this.#links.get(key);
      if (!link) {
        link = new ModbusLink(device.connection, this.#logger, this.#linkOptions);
        this.#links.set(key, link);
      }
      const poller = new DevicePoller(
        device,
        points.filter((point) => point.deviceId === device.id),
        link,
        {
          samples: (samples) => this.#onSamples(samples),
          status: (status) => this.#events.status(status),
        },
      );
      this.#pollers.set(device.id, poller);
      poller.start();
    }
    this.#statusTimer = setInterval(() => {
      for (const poller of this.#pollers.values()) poller.refreshStatus();
    }, STATUS_REFRESH_MS);
    this.#statusTimer.unref();
  }

  #onSamples(samples: Sample[]): void {
    for (const { pointId, ts, value, quality } of samples) this.#latest.set(pointId, { ts, value, quality });
    this.#events.samples(samples);
  }

  status(deviceId: string): DeviceStatus | undefined {
    return this.#pollers.get(deviceId)?.status;
  }

  latest(pointId: string): LatestValue | undefined {
    return this.#latest.get(pointId);
  }

  stop(): void {
    clearInterval(this.#statusTimer);
    for (const poller of this.#pollers.values()) poller.stop();
    for (const link of this.#links.values()) link.close();
    this.#pollers.clear();
    this.#links.clear();
  }
}
