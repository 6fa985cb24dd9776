// The raw bytes on a link, as Modbus Poll's traffic view shows them: every frame sent and received,
// in hex with its time. Taps the client's socket or serial port after each connect; a ring buffer
// keeps the latest frames so a long-running link costs a bounded amount of memory.
import type { TrafficFrame } from '../../shared/index.ts';
import type { ModbusClient } from './modbus-link.ts';

const DEFAULT_CAPACITY = 500;

interface Stream {
  write(data: Buffer, ...rest: unknown[]): unknown;
  on(event: 'data', listener: (data: Buffer) => void): unknown;
}

interface RawFrame {
  ts: number;
  direction: 'tx' | 'rx';
  bytes: Buffer;
}

const toHex = (bytes: Buffer) => bytes.toString('hex').replace(/(..)(?!$)/g, '$1 ').toUpperCase();

export class TrafficRecorder {
  /** Raw copies; formatted as hex only when someone looks (the tap sits on every request's path). */
  readonly #frames: RawFrame[] = [];
  readonly #capacity: number;
  readonly #tcp: boolean;
  /** Frames are kept only while someone watches: a thousand links would otherwise hold a million frames. */
  #watchedUntil = 0;

  constructor(tcp: boolean, capacity = DEFAULT_CAPACITY) {
    this.#tcp = tcp;
    this.#capacity = capacity;
  }

  /** The unit id a frame is for: byte 6 of an MBAP frame, byte 0 of an RTU frame. */
  unitIdOf(bytes: Buffer): number | null {
    const index = this.#tcp ? 6 : 0;
    return bytes.length > index ? bytes[index]! : null;
  }

  /** Keeps recording for `ms` from now (the traffic view asks again while it is open). */
  watch(ms = 5 * 60_000): void {
    this.#watchedUntil = Date.now() + ms;
  }

  get watching(): boolean {
    return Date.now() < this.#watchedUntil;
  }

  record(direction: 'tx' | 'rx', bytes: Buffer, ts = Date.now()): void {
    if (ts >= this.#watchedUntil) {
      if (this.#frames.length > 0) this.#frames.length = 0;
      return;
    }
    this.#frames.push({ ts, direction, bytes: Buffer.from(bytes) });
    if (this.#frames.length > this.#capacity * 2) this.#frames.splice(0, this.#frames.length - this.#capacity);
  }

  /** The latest frames of one unit id (or all), oldest first. */
  frames(unitId: number | null, limit: number): TrafficFrame[] {
    const recent = this.#frames.slice(-this.#capacity);
    const matching = unitId === null ? recent : recent.filter((frame) => this.unitIdOf(frame.bytes) === unitId);
    return matching.slice(-limit).map((frame) => ({ ts: frame.ts, direction: frame.direction, unitId: this.unitIdOf(frame.bytes), hex: toHex(frame.bytes) }));
  }

  /** Starts recording a freshly connected client's stream; false when its port has no stream to tap. */
  tap(client: ModbusClient): boolean {
    const stream = (client as unknown as { _port?: { _client?: Stream } })._port?._client;
    if (!stream || typeof stream.write !== 'function' || typeof stream.on !== 'function') return false;
    const write = stream.write.bind(stream);
    stream.write = (data: Buffer, ...rest: unknown[]) => {
      if (Buffer.isBuffer(data)) this.record('tx', data);
      return write(data, ...rest);
    };
    stream.on('data', (data: Buffer) => this.record('rx', data));
    return true;
  }
}
