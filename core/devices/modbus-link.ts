// One physical connection to shop-floor equipment: a TCP socket, a gateway socket or a serial bus.
// Strictly one request in flight (modbus-serial has no queue of its own, and gateways and RS-485 buses
// cannot take pipelined requests), a timeout on every request (modbus-serial's default is none),
// reconnection with exponential back-off and full jitter, and a fresh client for every connection
// attempt (reusing a failed client can leave a serial port unlockable).
import modbusSerial from 'modbus-serial';
import type { Connection } from '../../shared/index.ts';
import type { Logger } from '../host.ts';
import { failureKind, toDeviceError, type DeviceLabel } from './modbus-errors.ts';

// The package's CommonJS face: its types call the client class `default`, and so does its runtime.
const ModbusRTU = modbusSerial.default;
export type ModbusClient = InstanceType<typeof ModbusRTU>;

export interface LinkOptions {
  connectTimeoutMs?: number;
  /** First back-off after a failed connection; doubles up to maxBackoffMs. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Consecutive timeouts after which the connection is treated as dead and reopened. */
  timeoutsBeforeReconnect?: number;
  random?: () => number;
}

interface Job {
  unitId: number;
  label: DeviceLabel;
  run: (client: ModbusClient) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** The identity of the physical connection: devices that share it share one link. */
export function linkKey(connection: Connection): string {
  return connection.kind === 'rtu' ? `rtu:${connection.path}` : `${connection.kind}:${connection.host}:${connection.port}`;
}

export function linkAddress(connection: Connection): string {
  return connection.kind === 'rtu' ? connection.path : `${connection.host}:${connection.port}`;
}

export class ModbusLink {
  readonly connection: Connection;
  readonly address: string;
  readonly #logger: Logger;
  readonly #options: Required<LinkOptions>;
  readonly #queue: Job[] = [];
  #client: ModbusClient | undefined;
  #busy = false;
  #closed = false;
  #failedConnects = 0;
  #nextConnectAt = 0;
  #lastConnectError: unknown;
  #consecutiveTimeouts = 0;

  constructor(connection: Connection, logger: Logger, options: LinkOptions = {}) {
    this.connection = connection;
    this.address = linkAddress(connection);
    this.#logger = logger;
    this.#options = {
      connectTimeoutMs: options.connectTimeoutMs ?? 3000,
      minBackoffMs: options.minBackoffMs ?? 500,
      maxBackoffMs: options.maxBackoffMs ?? 30_000,
      timeoutsBeforeReconnect: options.timeoutsBeforeReconnect ?? 3,
      random: options.random ?? Math.random,
    };
  }

  get isOpen(): boolean {
    return this.#client?.isOpen === true;
  }

  get queueLength(): number {
    return this.#queue.length + (this.#busy ? 1 : 0);
  }

  /**
   * Runs one Modbus transaction on this link, after those queued before it.
   * Rejects with an AppError that names the device and the next step.
   */
  request<T>(unitId: number, label: DeviceLabel, run: (client: ModbusClient) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.#closed) {
        reject(toDeviceError(new Error('the connection was closed'), label));
        return;
      }
      this.#queue.push({ unitId, label, run, resolve: resolve as (value: unknown) => void, reject });
      void this.#pump();
    });
  }

  async #pump(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      for (let job = this.#queue.shift(); job; job = this.#queue.shift()) await this.#execute(job);
    } finally {
      this.#busy = false;
    }
  }

  async #execute(job: Job): Promise<void> {
    try {
      const client = await this.#open();
      client.setID(job.unitId);
      client.setTimeout(job.label.timeoutMs);
      const value = await job.run(client);
      this.#consecutiveTimeouts = 0;
      job.resolve(value);
    } catch (error) {
      this.#noteFailure(error);
      job.reject(toDeviceError(error, job.label));
    }
  }

  #noteFailure(error: unknown): void {
    const kind = failureKind(error);
    if (kind === 'exception') return;
    if (kind === 'timeout') {
      this.#consecutiveTimeouts++;
      if (this.#consecutiveTimeouts < this.#options.timeoutsBeforeReconnect) return;
    }
    // A dead socket can keep isOpen true without a close event: drop the client and reconnect later.
    this.#consecutiveTimeouts = 0;
    this.#drop();
  }

  async #open(): Promise<ModbusClient> {
    if (this.#client?.isOpen) return this.#client;
    this.#drop();
    if (Date.now() < this.#nextConnectAt) throw this.#lastConnectError;
    const client = new ModbusRTU();
    try {
      await this.#connect(client);
      this.#client = client;
      this.#failedConnects = 0;
      this.#logger.info('connected', { address: this.address });
      return client;
    } catch (error) {
      this.#closeQuietly(client);
      this.#failedConnects++;
      const ceiling = Math.min(this.#options.maxBackoffMs, this.#options.minBackoffMs * 2 ** (this.#failedConnects - 1));
      this.#nextConnectAt = Date.now() + this.#options.random() * ceiling;
      this.#lastConnectError = error;
      throw error;
    }
  }

  #connect(client: ModbusClient): Promise<void> {
    const connection = this.connection;
    const opening =
      connection.kind === 'tcp'
        ? client.connectTCP(connection.host, { port: connection.port })
        : connection.kind === 'rtuOverTcp'
          ? client.connectTcpRTUBuffered(connection.host, { port: connection.port })
          : client.connectRTUBuffered(connection.path, {
              baudRate: connection.baudRate,
              parity: connection.parity,
              dataBits: connection.dataBits,
              stopBits: connection.stopBits,
            });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(Object.assign(new Error('Timed out while connecting'), { errno: 'ETIMEDOUT' })),
        this.#options.connectTimeoutMs,
      );
    });
    return Promise.race([opening, timeout]).finally(() => clearTimeout(timer));
  }

  #drop(): void {
    if (!this.#client) return;
    this.#closeQuietly(this.#client);
    this.#client = undefined;
    this.#logger.info('disconnected', { address: this.address });
  }

  #closeQuietly(client: ModbusClient): void {
    try {
      client.close(() => {});
    } catch {
      // Closing a half-open client can throw; it is being discarded either way.
    }
  }

  /** Closes the connection; queued requests are refused. */
  close(): void {
    this.#closed = true;
    for (const job of this.#queue.splice(0)) job.reject(toDeviceError(new Error('the connection was closed'), job.label));
    this.#drop();
  }
}
