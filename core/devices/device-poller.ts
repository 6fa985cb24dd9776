// Polls one device: its points grouped by scan class, each class read as planned blocks on the
// device's link, decoded, and handed on as samples with a quality. Keeps the device's health
// (state, last good read, latency, counters) for the status the UI shows. A device that keeps timing
// out is quarantined with growing back-off (as Kepware's auto-demotion), so it cannot eat the bus
// time of its neighbours; a merged read the device refuses is split into single reads for good.
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
import { planBlocks, planOptionsFor, pointSpan, splitBlock, type ReadBlock } from './block-planner.ts';
import { BadReplyError, failureKind } from './modbus-errors.ts';
import { PRIORITY, type ModbusClient, type ModbusLink, type Priority } from './modbus-link.ts';

export interface PollerSink {
  samples(samples: Sample[]): void;
  status(status: DeviceStatus): void;
}

export interface PollerOptions {
  /** Consecutive timed-out reads before the device is quarantined. */
  quarantineAfterTimeouts?: number;
  /** First quarantine; doubles with each one in a row, up to maxQuarantineMs. */
  quarantineMs?: number;
  maxQuarantineMs?: number;
  /** Points that alarm rules watch: read ahead of normal scans on a busy link. */
  alarmPointIds?: ReadonlySet<string>;
  /** Told of every finished scan: how late it started, how long it took, how many reads failed. */
  onScanFinished?: (deviceId: string, lateMs: number, durationMs: number, failedReads: number) => void;
}

/** How a scan went: nothing wrong, or the worst problem among its reads. */
interface Problem {
  state: DeviceState;
  error: DeviceStatus['lastError'];
}

interface ScanClass {
  scanMs: number;
  priority: Priority;
  blocks: ReadBlock[];
  timer?: NodeJS.Timeout;
  running: boolean;
  /** The last finished scan's problem; the device's state is the worst over its scan classes. */
  outcome: Problem | null | undefined;
}

const SEVERITY: Record<DeviceState, number> = { connected: 0, connecting: 0, disabled: 0, error: 1, disconnected: 2, quarantined: 3 };

const LATENCY_WINDOW = 200;
const SLOW_SCAN_MS = 10_000;
const ILLEGAL_DATA_ADDRESS = 2;

/** Reads one block with the function code its data area needs; a reply of the wrong size is refused. */
export async function readBlock(client: ModbusClient, block: ReadBlock): Promise<(number | boolean)[]> {
  const data = await (async () => {
    switch (block.function) {
      case 'coil': return (await client.readCoils(block.start, block.count)).data.slice(0, block.count);
      case 'discrete': return (await client.readDiscreteInputs(block.start, block.count)).data.slice(0, block.count);
      case 'holding': return (await client.readHoldingRegisters(block.start, block.count)).data;
      case 'input': return (await client.readInputRegisters(block.start, block.count)).data;
    }
  })();
  if (data.length !== block.count) throw new BadReplyError(`${data.length} values instead of ${block.count}`);
  return data;
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

/** A device's status before its first read (or while it is disabled). */
export function initialStatus(deviceId: string, enabled: boolean): DeviceStatus {
  return {
    deviceId,
    state: enabled ? 'connecting' : 'disabled',
    lastGoodReadAt: null,
    latencyMedianMs: null,
    latencyP95Ms: null,
    requests: 0,
    timeouts: 0,
    exceptions: 0,
    lastError: null,
    quarantinedUntil: null,
  };
}

/** A stable offset within the scan period for a device (FNV-1a of its id), so restarts keep the spread. */
export function scanPhase(deviceId: string, scanMs: number): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < deviceId.length; index++) hash = Math.imul(hash ^ deviceId.charCodeAt(index), 0x01000193) >>> 0;
  return hash % scanMs;
}

function percentile(sorted: readonly number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? null;
}

export class DevicePoller {
  readonly device: Device;
  readonly #link: ModbusLink;
  readonly #sink: PollerSink;
  readonly #classes: ScanClass[];
  readonly #badPoints = new Set<string>();
  readonly #latencies: number[] = [];
  readonly #quarantineAfter: number;
  readonly #quarantineMs: number;
  readonly #maxQuarantineMs: number;
  readonly #onScanFinished: PollerOptions['onScanFinished'];
  #status: DeviceStatus;
  #stopped = true;
  #timeoutsInRow = 0;
  #quarantinesInRow = 0;
  #failedReads = 0;
  /** The worst problem of the scan running now (reads of one device are sequential). */
  #scanProblem: Problem | null = null;

  constructor(device: Device, points: readonly Point[], link: ModbusLink, sink: PollerSink, options: PollerOptions = {}) {
    this.device = device;
    this.#link = link;
    this.#sink = sink;
    this.#quarantineAfter = options.quarantineAfterTimeouts ?? 3;
    this.#quarantineMs = options.quarantineMs ?? 10_000;
    this.#maxQuarantineMs = options.maxQuarantineMs ?? 300_000;
    this.#onScanFinished = options.onScanFinished;
    const alarmPoints = options.alarmPointIds ?? new Set<string>();
    const byScan = new Map<number, Point[]>();
    for (const point of points) byScan.set(point.scanMs, [...(byScan.get(point.scanMs) ?? []), point]);
    this.#classes = [...byScan].map(([scanMs, group]) => ({
      scanMs,
      priority: group.some((point) => alarmPoints.has(point.id))
        ? PRIORITY.alarm
        : scanMs >= SLOW_SCAN_MS
          ? PRIORITY.slow
          : PRIORITY.normal,
      blocks: planBlocks(group, planOptionsFor(device)),
      running: false,
      outcome: undefined,
    }));
    this.#status = initialStatus(device.id, device.enabled);
  }

  get status(): DeviceStatus {
    return this.#status;
  }

  /** The reads this device's scans make, for bus-load estimates. */
  get reads(): { count: number; bits: boolean; scanMs: number }[] {
    return this.#classes.flatMap((scanClass) =>
      scanClass.blocks.map((block) => ({
        count: block.count,
        bits: block.function === 'coil' || block.function === 'discrete',
        scanMs: scanClass.scanMs,
      })),
    );
  }

  start(): void {
    if (!this.device.enabled || !this.#stopped) return;
    this.#stopped = false;
    const now = Date.now();
    for (const scanClass of this.#classes) {
      const tick = (due: number) => {
        if (this.#stopped) return;
        if (!scanClass.running) void this.#scan(scanClass, due);
        // Schedule from the due time, not from now, so scans do not drift; skip missed slots.
        let next = due + scanClass.scanMs;
        const now = Date.now();
        if (next <= now) next = now + scanClass.scanMs - ((now - due) % scanClass.scanMs);
        scanClass.timer = setTimeout(() => tick(next), next - Date.now());
      };
      // Devices spread their scans over the period instead of all firing at the same instant:
      // a thousand devices due at once would make the last of them late by the whole burst.
      // The first read happens at once (values on screen quickly); later ones keep the device's phase.
      const phase = scanPhase(this.device.id, scanClass.scanMs);
      let firstDue = now - (now % scanClass.scanMs) + phase;
      if (firstDue <= now) firstDue += scanClass.scanMs;
      void this.#scan(scanClass, now);
      scanClass.timer = setTimeout(() => tick(firstDue), firstDue - now);
    }
  }

  stop(): void {
    this.#stopped = true;
    for (const scanClass of this.#classes) clearTimeout(scanClass.timer);
  }

  async #scan(scanClass: ScanClass, due: number): Promise<void> {
    if (this.#status.quarantinedUntil !== null && Date.now() < this.#status.quarantinedUntil) return;
    scanClass.running = true;
    const startedAt = Date.now();
    const failedBefore = this.#failedReads;
    this.#scanProblem = null;
    let completed = false;
    try {
      for (let index = 0; index < scanClass.blocks.length; index++) {
        if (this.#stopped || this.#status.quarantinedUntil !== null && Date.now() < this.#status.quarantinedUntil) return;
        const block = scanClass.blocks[index]!;
        const refusedMerge = await this.#readAndDecode(block, scanClass.priority);
        if (refusedMerge) {
          // The device refuses reads that span unmapped addresses: read these points one by one from now on.
          scanClass.blocks.splice(index, 1, ...splitBlock(block));
          index--;
        }
      }
      completed = !this.#stopped;
    } finally {
      scanClass.running = false;
      // A scan cut short by a quarantine still reports its problem; a stopped poller reports nothing.
      if (completed || this.#scanProblem) this.#settleState(scanClass, this.#scanProblem);
      this.#onScanFinished?.(this.device.id, startedAt - due, Date.now() - startedAt, this.#failedReads - failedBefore);
    }
  }

  /** Reads one block; returns true when the device refused a merged read with Illegal Data Address. */
  async #readAndDecode(block: ReadBlock, priority: Priority): Promise<boolean> {
    const label = { device: this.device.name, address: this.#link.address, timeoutMs: this.device.timeoutMs };
    const started = performance.now();
    let lastError: unknown;
    for (let attempt = 0; attempt <= this.device.retries; attempt++) {
      this.#status = { ...this.#status, requests: this.#status.requests + 1 };
      try {
        const data = await this.#link.request(this.device.unitId, label, (client) => readBlock(client, block), priority);
        if (this.#stopped) return false;
        this.#onGoodRead(block, data, performance.now() - started);
        return false;
      } catch (error) {
        // A poller stopped while its read was queued or on the wire has nothing left to report.
        if (this.#stopped) return false;
        lastError = error;
        const kind = failureKind((error as AppError).cause);
        if (kind === 'exception') {
          const code = (error as AppError).details?.exceptionCode;
          if (code === ILLEGAL_DATA_ADDRESS && block.points.length > 1) return true;
          break;
        }
        if (!this.#link.isOpen) break;
      }
    }
    this.#onFailedRead(block, lastError);
    return false;
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
    this.#timeoutsInRow = 0;
    this.#quarantinesInRow = 0;
    this.#status = { ...this.#status, lastGoodReadAt: ts };
    this.#sink.samples(samples);
  }

  /**
   * The device's state after a scan: the worst problem over its scan classes' latest scans, so one
   * bad block neither flickers the state on every scan nor hides behind a good block read after it.
   */
  #settleState(scanClass: ScanClass, problem: Problem | null): void {
    scanClass.outcome = problem;
    let worst: Problem | null = null;
    for (const other of this.#classes) {
      if (other.outcome && (!worst || SEVERITY[other.outcome.state] > SEVERITY[worst.state])) worst = other.outcome;
    }
    const previous = this.#status;
    const state: DeviceState = worst ? worst.state : 'connected';
    this.#status = {
      ...previous,
      state,
      lastError: worst ? worst.error : null,
      quarantinedUntil: state === 'quarantined' ? previous.quarantinedUntil : null,
    };
    if (previous.state !== state || previous.lastError?.key !== this.#status.lastError?.key) this.#publishStatus();
  }

  #onFailedRead(block: ReadBlock, error: unknown): void {
    this.#failedReads++;
    const appError = error instanceof AppError ? error : undefined;
    const kind = failureKind(appError?.cause ?? error);
    let state: DeviceState = kind === 'exception' || kind === 'reply' ? 'error' : 'disconnected';
    let quarantinedUntil: number | null = null;
    if (kind === 'timeout') {
      this.#timeoutsInRow++;
      // After a quarantine, one more timeout is enough to go straight back, for longer.
      if (this.#timeoutsInRow >= this.#quarantineAfter || this.#quarantinesInRow > 0) {
        this.#quarantinesInRow++;
        const period = Math.min(this.#maxQuarantineMs, this.#quarantineMs * 2 ** (this.#quarantinesInRow - 1));
        quarantinedUntil = Date.now() + period;
        state = 'quarantined';
        this.#timeoutsInRow = 0;
      }
    }
    const previous = this.#status;
    const lastError = appError ? { key: appError.key, params: appError.params } : { key: 'error.internal', params: {} };
    this.#status = {
      ...previous,
      quarantinedUntil: quarantinedUntil ?? previous.quarantinedUntil,
      timeouts: previous.timeouts + (kind === 'timeout' ? 1 : 0),
      exceptions: previous.exceptions + (kind === 'exception' ? 1 : 0),
    };
    if (!this.#scanProblem || SEVERITY[state] > SEVERITY[this.#scanProblem.state]) this.#scanProblem = { state, error: lastError };
    // One 'bad' sample when a point goes bad, not one per failed scan: the historian shows the gap.
    const ts = Date.now();
    const newlyBad = block.points.filter((point) => !this.#badPoints.has(point.id));
    for (const point of newlyBad) this.#badPoints.add(point.id);
    if (newlyBad.length > 0) {
      this.#sink.samples(newlyBad.map((point) => ({ pointId: point.id, ts, value: null, quality: 'bad' })));
    }
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
