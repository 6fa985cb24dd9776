// Polls one device: its points grouped by scan class, each class read as planned blocks on the
// device's link, decoded, and handed on as samples with a quality. Keeps the device's health
// (state, last good read, latency, counters) for the status the UI shows.
import {
  AppError,
  decodeRegisters,
  toEngineering,
  type Device,
  type DeviceState,
  type DeviceStatus,
  type Point,
  type Sample,
} from '../../shared/index.ts';
import { planBlocks, pointSpan, type ReadBlock } from './block-planner.ts';
import { failureKind } from './modbus-errors.ts';
import type { ModbusClient, ModbusLink } from './modbus-link.ts';

export interface PollerSink {
  samples(samples: Sample[]): void;
  status(status: DeviceStatus): void;
}

const LATENCY_WINDOW = 200;

/** Reads one block with the function code its data area needs. */
export async function readBlock(client: ModbusClient, block: ReadBlock): Promise<(number | boolean)[]> {
  switch (block.function) {
    case 'coil': return (await client.readCoils(block.start, block.count)).data;
    case 'discrete': return (await client.readDiscreteInputs(block.start, block.count)).data;
    case 'holding': return (await client.readHoldingRegisters(block.start, block.count)).data;
    case 'input': return (await client.readInputRegisters(block.start, block.count)).data;
  }
}

/** The engineering value of one point from the data of the block that holds it. */
export function decodePoint(point: Point, block: ReadBlock, data: readonly (number | boolean)[]): number | string {
  const offset = point.address - block.start;
  if (point.function === 'coil' || point.function === 'discrete') return data[offset] ? 1 : 0;
  const words = data.slice(offset, offset + pointSpan(point)) as number[];
  const raw = decodeRegisters(words, point.dataType, point.wordOrder, point.bit);
  return typeof raw === 'number' && point.dataType !== 'bool' && point.dataType !== 'bit'
    ? toEngineering(raw, point.scale, point.offset)
    : raw;
}

function percentile(sorted: readonly number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? null;
}

export class DevicePoller {
  readonly device: Device;
  readonly #link: ModbusLink;
  readonly #sink: PollerSink;
  readonly #classes: { scanMs: number; blocks: ReadBlock[]; timer?: NodeJS.Timeout; running: boolean }[];
  readonly #badPoints = new Set<string>();
  readonly #latencies: number[] = [];
  #status: DeviceStatus;
  #stopped = true;

  constructor(device: Device, points: readonly Point[], link: ModbusLink, sink: PollerSink) {
    this.device = device;
    this.#link = link;
    this.#sink = sink;
    const byScan = new Map<number, Point[]>();
    for (const point of points) byScan.set(point.scanMs, [...(byScan.get(point.scanMs) ?? []), point]);
    this.#classes = [...byScan].map(([scanMs, group]) => ({ scanMs, blocks: planBlocks(group), running: false }));
    this.#status = {
      deviceId: device.id,
      state: device.enabled ? 'connecting' : 'disabled',
      lastGoodReadAt: null,
      latencyMedianMs: null,
      latencyP95Ms: null,
      requests: 0,
      timeouts: 0,
      exceptions: 0,
      lastError: null,
    };
  }

  get status(): DeviceStatus {
    return this.#status;
  }

  start(): void {
    if (!this.device.enabled || !this.#stopped) return;
    this.#stopped = false;
    for (const scanClass of this.#classes) {
      const tick = (due: number) => {
        if (this.#stopped) return;
        if (!scanClass.running) void this.#scan(scanClass);
        // Schedule from the due time, not from now, so scans do not drift; skip missed slots.
        let next = due + scanClass.scanMs;
        const now = Date.now();
        if (next <= now) next = now + scanClass.scanMs - ((now - due) % scanClass.scanMs);
        scanClass.timer = setTimeout(() => tick(next), next - Date.now());
      };
      tick(Date.now());
    }
  }

  stop(): void {
    this.#stopped = true;
    for (const scanClass of this.#classes) clearTimeout(scanClass.timer);
  }

  async #scan(scanClass: { blocks: ReadBlock[]; running: boolean }): Promise<void> {
    scanClass.running = true;
    try {
      for (const block of scanClass.blocks) {
        if (this.#stopped) return;
        await this.#readAndDecode(block);
      }
    } finally {
      scanClass.running = false;
    }
  }

  async #readAndDecode(block: ReadBlock): Promise<void> {
    const label = { device: this.device.name, address: this.#link.address, timeoutMs: this.device.timeoutMs };
    const started = performance.now();
    let lastError: unknown;
    for (let attempt = 0; attempt <= this.device.retries; attempt++) {
      this.#status = { ...this.#status, requests: this.#status.requests + 1 };
      try {
        const data = await this.#link.request(this.device.unitId, label, (client) => readBlock(client, block));
        this.#onGoodRead(block, data, performance.now() - started);
        return;
      } catch (error) {
        lastError = error;
        if (failureKind((error as AppError).cause) === 'exception') break;
        if (!this.#link.isOpen) break;
      }
    }
    this.#onFailedRead(block, lastError);
  }

  #onGoodRead(block: ReadBlock, data: readonly (number | boolean)[], latencyMs: number): void {
    const ts = Date.now();
    const samples: Sample[] = [];
    for (const point of block.points) {
      try {
        samples.push({ pointId: point.id, ts, value: decodePoint(point, block, data), quality: 'good' });
        this.#badPoints.delete(point.id);
      } catch {
        samples.push({ pointId: point.id, ts, value: null, quality: 'bad' });
      }
    }
    this.#latencies.push(latencyMs);
    if (this.#latencies.length > LATENCY_WINDOW) this.#latencies.shift();
    const wasConnected = this.#status.state === 'connected';
    this.#status = { ...this.#status, state: 'connected', lastGoodReadAt: ts, lastError: null };
    this.#sink.samples(samples);
    if (!wasConnected) this.#publishStatus();
  }

  #onFailedRead(block: ReadBlock, error: unknown): void {
    const appError = error instanceof AppError ? error : undefined;
    const kind = failureKind(appError?.cause ?? error);
    const state: DeviceState = kind === 'exception' ? 'error' : 'disconnected';
    const previous = this.#status;
    this.#status = {
      ...previous,
      state,
      timeouts: previous.timeouts + (kind === 'timeout' ? 1 : 0),
      exceptions: previous.exceptions + (kind === 'exception' ? 1 : 0),
      lastError: appError ? { key: appError.key, params: appError.params } : { key: 'error.internal', params: {} },
    };
    // One 'bad' sample when a point goes bad, not one per failed scan: the historian shows the gap.
    const ts = Date.now();
    const newlyBad = block.points.filter((point) => !this.#badPoints.has(point.id));
    for (const point of newlyBad) this.#badPoints.add(point.id);
    if (newlyBad.length > 0) {
      this.#sink.samples(newlyBad.map((point) => ({ pointId: point.id, ts, value: null, quality: 'bad' })));
    }
    if (previous.state !== state || previous.lastError?.key !== this.#status.lastError?.key) this.#publishStatus();
  }

  /** Latency statistics are computed when the status is published, not on every read. */
  #publishStatus(): void {
    const sorted = [...this.#latencies].sort((a, b) => a - b);
    const round = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);
    this.#status = {
      ...this.#status,
      latencyMedianMs: round(percentile(sorted, 0.5)),
      latencyP95Ms: round(percentile(sorted, 0.95)),
    };
    this.#sink.status(this.#status);
  }

  /** Publishes the current statistics (called periodically by the manager). */
  refreshStatus(): void {
    this.#publishStatus();
  }
}
