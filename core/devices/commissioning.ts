// What a technician does before trusting a device: try the connection, read a register map once
// before saving it, and find which unit ids answer on a bus. Uses the running link when the
// connection is already polled (a serial port can be opened once), a temporary one otherwise.
import { randomUUID } from 'node:crypto';
import {
  AppError,
  translate,
  type Connection,
  type Device,
  type Locale,
  type Point,
  type PointFunction,
  type Reading,
  type ScanProgress,
} from '../../shared/index.ts';
import { planBlocks, planOptionsFor, pointSpan } from './block-planner.ts';
import type { DeviceManager } from './device-manager.ts';
import { decodePoint, readBlock } from './device-poller.ts';
import { failureKind } from './modbus-errors.ts';
import { linkAddress, PRIORITY, type ModbusClient, type ModbusLink } from './modbus-link.ts';

const messageOf = (error: unknown, locale: Locale) =>
  error instanceof AppError ? translate(locale, error.key, error.params) : String(error);

const labelOf = (device: Pick<Device, 'name' | 'connection' | 'timeoutMs'>) => ({
  device: device.name,
  address: linkAddress(device.connection),
  timeoutMs: device.timeoutMs,
});

/** One value read at `address`: the smallest request that shows whether a unit answers. */
const probeRead = (client: ModbusClient, fn: PointFunction, address: number) =>
  readBlock(client, { function: fn, start: address, count: 1, points: [] });

/** One small read; a Modbus exception still proves the device is there and answering. */
export async function testDevice(
  manager: DeviceManager,
  device: Device,
  points: readonly Point[],
  locale: Locale,
): Promise<{ reachable: boolean; latencyMs: number | null; message: string }> {
  const { link, release } = manager.borrowLink(device.connection);
  const first = points[0];
  const started = performance.now();
  try {
    await link.request(device.unitId, labelOf(device), (client) => probeRead(client, first?.function ?? 'holding', first?.address ?? 0), PRIORITY.write);
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    return { reachable: true, latencyMs, message: translate(locale, 'commissioning.testOk', { device: device.name, latencyMs }) };
  } catch (error) {
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    if (failureKind((error as AppError).cause) === 'exception') {
      return { reachable: true, latencyMs, message: translate(locale, 'commissioning.testException', { device: device.name, reason: messageOf(error, locale) }) };
    }
    return { reachable: false, latencyMs: null, message: messageOf(error, locale) };
  } finally {
    release();
  }
}

/** Reads points once, block by block, reporting each point's value or why it has none. */
export async function readNow(manager: DeviceManager, device: Device, points: readonly Point[], locale: Locale): Promise<Reading[]> {
  const { link, release } = manager.borrowLink(device.connection);
  const readings: Reading[] = [];
  try {
    for (const block of planBlocks(points, planOptionsFor(device))) {
      try {
        const data = await link.request(device.unitId, labelOf(device), (client) => readBlock(client, block), PRIORITY.write);
        for (const point of block.points) {
          const offset = point.address - block.start;
          const raw = data.slice(offset, offset + pointSpan(point)).map(Number);
          try {
            readings.push({ pointId: point.id, value: decodePoint(point, block, data), raw, error: null });
          } catch (error) {
            readings.push({ pointId: point.id, value: null, raw, error: String((error as Error).message) });
          }
        }
      } catch (error) {
        const message = messageOf(error, locale);
        for (const point of block.points) readings.push({ pointId: point.id, value: null, raw: null, error: message });
      }
    }
  } finally {
    release();
  }
  const order = new Map(points.map((point, index) => [point.id, index]));
  return readings.sort((a, b) => (order.get(a.pointId) ?? 0) - (order.get(b.pointId) ?? 0));
}

export interface ScanRequest {
  connection: Connection;
  fromUnit: number;
  toUnit: number;
  timeoutMs: number;
  probe: { function: PointFunction; address: number };
  baudRates?: number[];
}

/** Finds answering unit ids, one at a time (a bus takes one request at a time), reporting progress. */
export class UnitScanner {
  readonly #manager: DeviceManager;
  readonly #onProgress: (progress: ScanProgress) => void;
  readonly #running = new Map<string, { cancelled: boolean }>();

  constructor(manager: DeviceManager, onProgress: (progress: ScanProgress) => void) {
    this.#manager = manager;
    this.#onProgress = onProgress;
  }

  start(request: ScanRequest, locale: Locale): string {
    const scanId = randomUUID();
    const state = { cancelled: false };
    this.#running.set(scanId, state);
    void this.#run(scanId, request, state, locale).finally(() => this.#running.delete(scanId));
    return scanId;
  }

  cancel(scanId: string): boolean {
    const state = this.#running.get(scanId);
    if (!state) return false;
    state.cancelled = true;
    return true;
  }

  cancelAll(): void {
    for (const state of this.#running.values()) state.cancelled = true;
  }

  async #run(scanId: string, request: ScanRequest, state: { cancelled: boolean }, locale: Locale): Promise<void> {
    const connection = request.connection;
    const bauds: (number | null)[] = connection.kind === 'rtu' ? (request.baudRates?.length ? request.baudRates : [connection.baudRate]) : [null];
    const units = Array.from({ length: Math.max(0, request.toUnit - request.fromUnit + 1) }, (_, index) => request.fromUnit + index);
    const progress: ScanProgress = { scanId, done: 0, total: units.length * bauds.length, found: [], finished: false, error: null };
    try {
      for (const baudRate of bauds) {
        const withBaud: Connection = connection.kind === 'rtu' && baudRate !== null ? { ...connection, baudRate } : connection;
        const { link, release } = this.#manager.borrowLink(withBaud);
        try {
          for (const unitId of units) {
            if (state.cancelled) return;
            await this.#probe(link, unitId, baudRate, request, progress, locale);
            progress.done++;
            if (progress.done % 8 === 0 || progress.done === progress.total) this.#onProgress({ ...progress, found: [...progress.found] });
          }
        } finally {
          release();
        }
      }
    } catch (error) {
      progress.error = messageOf(error, locale);
    } finally {
      progress.finished = true;
      this.#onProgress({ ...progress, found: [...progress.found] });
    }
  }

  async #probe(link: ModbusLink, unitId: number, baudRate: number | null, request: ScanRequest, progress: ScanProgress, locale: Locale): Promise<void> {
    const label = { device: `unit ${unitId}`, address: link.address, timeoutMs: request.timeoutMs };
    try {
      await link.request(unitId, label, (client) => probeRead(client, request.probe.function, request.probe.address), PRIORITY.slow, {
        timeoutsAreExpected: true,
      });
      progress.found.push({ unitId, baudRate, exception: null });
    } catch (error) {
      if (failureKind((error as AppError).cause) === 'exception') {
        progress.found.push({ unitId, baudRate, exception: messageOf(error, locale) });
      }
    }
  }
}
