// Runs every enabled device: one link per physical connection (devices behind one gateway or on one
// RS-485 bus share it), one poller per device. Keeps the latest value of every point, and lends its
// links to commissioning so a serial port is never opened twice.
import {
  AppError,
  busUtilisation,
  BUS_WARNING_UTILISATION,
  type Connection,
  type Device,
  type DeviceStatus,
  type Point,
  type LatestValue,
  type LinkView,
  type Sample,
} from '../../shared/index.ts';
import type { Logger } from '../host.ts';
import type { DeviceStore } from './device-store.ts';
import { DevicePoller, type PollerOptions } from './device-poller.ts';
import { linkAddress, linkKey, ModbusLink, type LinkOptions } from './modbus-link.ts';

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
  readonly #pollerOptions: PollerOptions;
  readonly #links = new Map<string, ModbusLink>();
  readonly #pollers = new Map<string, DevicePoller>();
  readonly #latest = new Map<string, LatestValue>();
  #statusTimer: NodeJS.Timeout | undefined;

  constructor(
    store: DeviceStore,
    logger: Logger,
    events: DeviceManagerEvents,
    options: { links?: LinkOptions; pollers?: PollerOptions } = {},
  ) {
    this.#store = store;
    this.#logger = logger;
    this.#events = events;
    this.#linkOptions = options.links ?? {};
    this.#pollerOptions = options.pollers ?? {};
  }

  /** Starts polling every device in the store (stopping whatever ran before). */
  /** `points`: the stored points when the caller already holds them (one copy of a large map, not two). */
  start(points: readonly Point[] = this.#store.listPoints()): void {
    this.stop();
    const pointsByDevice = Map.groupBy(points, (point) => point.deviceId);
    for (const device of this.#store.listDevices()) this.#startDevice(device, pointsByDevice.get(device.id) ?? []);
    this.#statusTimer = setInterval(() => {
      for (const poller of this.#pollers.values()) poller.refreshStatus();
    }, STATUS_REFRESH_MS);
    this.#statusTimer.unref();
  }

  #startDevice(device: Device | undefined, points: readonly Point[]): void {
    if (!device?.enabled) return;
    const poller = new DevicePoller(
      device,
      points,
      this.#sharedLink(device.connection),
      { samples: (samples) => this.#onSamples(samples), status: (status) => this.#events.status(status) },
      this.#pollerOptions,
    );
    this.#pollers.set(device.id, poller);
    poller.start();
  }

  /**
   * Applies changed settings of some devices: restarts just those, so their neighbours keep polling,
   * and closes links no device uses any more.
   */
  reload(deviceIds: readonly string[]): void {
    for (const id of deviceIds) {
      this.#pollers.get(id)?.stop();
      this.#pollers.delete(id);
    }
    for (const id of deviceIds) this.#startDevice(this.#store.getDevice(id), this.#store.listPoints(id));
    const used = new Set([...this.#pollers.values()].map((poller) => linkKey(poller.device.connection)));
    for (const [key, link] of this.#links) {
      if (!used.has(key)) {
        link.close();
        this.#links.delete(key);
      }
    }
  }

  #sharedLink(connection: Connection): ModbusLink {
    const key = linkKey(connection);
    let link = this.#links.get(key);
    if (!link) {
      link = new ModbusLink(connection, this.#logger, this.#linkOptions);
      this.#links.set(key, link);
    }
    return link;
  }

  /**
   * A link for commissioning: the running one when the connection is already in use (a serial port
   * can be opened once), else a temporary one the caller closes with `release`.
   */
  borrowLink(connection: Connection): { link: ModbusLink; release: () => void } {
    const running = this.#links.get(linkKey(connection));
    if (running) {
      if (connection.kind === 'rtu' && running.connection.kind === 'rtu' && running.connection.baudRate !== connection.baudRate) {
        throw new AppError('conflict', 'error.deviceBusy', { params: { port: connection.path } });
      }
      return { link: running, release: () => {} };
    }
    const link = new ModbusLink(connection, this.#logger, { ...this.#linkOptions, minBackoffMs: 0, maxBackoffMs: 0 });
    return { link, release: () => link.close() };
  }

  #onSamples(samples: Sample[]): void {
    for (const { pointId, ts, value, quality } of samples) {
      // Updated in place: a hundred thousand points a second would otherwise be as many new objects.
      const latest = this.#latest.get(pointId);
      if (latest) {
        latest.ts = ts;
        latest.value = value;
        latest.quality = quality;
      } else {
        this.#latest.set(pointId, { ts, value, quality });
      }
    }
    this.#events.samples(samples);
  }

  status(deviceId: string): DeviceStatus | undefined {
    return this.#pollers.get(deviceId)?.status;
  }

  /** A copy of the point's latest value (the stored one is updated in place). */
  latest(pointId: string): LatestValue | undefined {
    const latest = this.#latest.get(pointId);
    return latest ? { ...latest } : undefined;
  }

  /** Remembers a value just read or written outside the scans (write read-back). */
  noteValue(sample: Sample): void {
    this.#onSamples([sample]);
  }

  linkOf(deviceId: string): ModbusLink | undefined {
    const device = this.#store.getDevice(deviceId);
    return device ? this.#links.get(linkKey(device.connection)) : undefined;
  }

  links(): LinkView[] {
    return [...this.#links.entries()].map(([key, link]) => {
      const pollers = [...this.#pollers.values()].filter((poller) => linkKey(poller.device.connection) === key);
      const connection = link.connection;
      const utilisation =
        connection.kind === 'rtu' ? busUtilisation(connection, pollers.flatMap((poller) => poller.reads)) : null;
      return {
        key,
        kind: connection.kind,
        address: linkAddress(connection),
        deviceIds: pollers.map((poller) => poller.device.id),
        queueLength: link.queueLength,
        busUtilisation: utilisation,
        busOverbooked: utilisation !== null && utilisation > BUS_WARNING_UTILISATION,
      };
    });
  }

  stop(): void {
    clearInterval(this.#statusTimer);
    for (const poller of this.#pollers.values()) poller.stop();
    for (const link of this.#links.values()) link.close();
    this.#pollers.clear();
    this.#links.clear();
  }
}
