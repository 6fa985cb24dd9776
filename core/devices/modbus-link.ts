// One physical connection to shop-floor equipment: a TCP socket, a gateway socket or a serial bus.
// Strictly one request in flight (modbus-serial has no queue of its own, and gateways and RS-485 buses
// cannot take pipelined requests), a timeout on every request (modbus-serial's default is none),
// reconnection with exponential back-off and full jitter, and a fresh client for every connection
// attempt (reusing a failed client can leave a serial port unlockable).
import modbusSerial from 'modbus-serial';
import type { Connection } from '../../shared/index.ts';
import type { Logger } from '../host.ts';
import { failureKind, toDeviceError, type DeviceLabel } from './modbus-errors.ts';
import { TrafficRecorder } from './traffic-recorder.ts';

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

/**
 * Who goes first when several requests wait for one link: writes (an operator is waiting), then
 * points that alarms watch, then normal scans, then slow scans (10 s and longer).
 */
export const PRIORITY = { write: 0, alarm: 1, normal: 2, slow: 3 } as const;
export type Priority = (typeof PRIORITY)[keyof typeof PRIORITY];

export interface RequestOptions {
  /** A probe of addresses that may be empty (a unit-id scan): its timeouts say nothing of the link. */
  timeoutsAreExpected?: boolean;
}

interface Job {
  unitId: number;
  priority: Priority;
  options: RequestOptions;
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
  readonly traffic: TrafficRecorder;
  readonly #logger: Logger;
  readonly #options: Required<LinkOptions>;
  /** One first-in-first-out lane per priority. */
  readonly #lanes: Job[][] = [[], [], [], []];
  #client: ModbusClient | undefined;
  #busy = false;
  #closed = false;
  #failedConnects = 0;
  #nextConnectAt = 0;
  #lastConnectError: unknown;
  #consecutiveTimeouts = 0;
  /** No request goes out on an RTU line before this time (see #execute). */
  #quietUntil = 0;

  constructor(connection: Connection, logger: Logger, options: LinkOptions = {}) {
    this.connection = connection;
    this.address = linkAddress(connection);
    this.traffic = new TrafficRecorder(connection.kind === 'tcp');
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
    return this.#lanes.reduce((sum, lane) => sum + lane.length, 0) + (this.#busy ? 1 : 0);
  }

  #next(): Job | undefined {
    for (const lane of this.#lanes) if (lane.length > 0) return lane.shift();
    return undefined;
  }

  /**
   * Runs one Modbus transaction on this link, after those queued before it.
   * Rejects with an AppError that names the device and the next step.
   */
  request<T>(
    unitId: number,
    label: DeviceLabel,
    run: (client: ModbusClient) => Promise<T>,
    priority: Priority = PRIORITY.normal,
    options: RequestOptions = {},
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.#closed) {
        reject(toDeviceError(new Error('the connection was closed'), label));
        return;
      }
      this.#lanes[priority]!.push({ unitId, priority, options, label, run, resolve: resolve as (value: unknown) => void, reject });
      void this.#pump();
    });
  }

  async #pump(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      for (let job = this.#next(); job; job = this.#next()) await this.#execute(job);
    } finally {
      this.#busy = false;
    }
  }

  async #execute(job: Job): Promise<void> {
    try {
      // After a timeout on an RTU line, the late reply may still be on its way: keep the line quiet
      // for a while and drop whatever arrives, or that reply would be taken for the next request's.
      if (this.#quietUntil > Date.now()) await new Promise((resolve) => setTimeout(resolve, this.#quietUntil - Date.now()));
      // The common case, an open connection, costs no extra await.
      const client = this.#client?.isOpen ? this.#client : await this.#open();
      this.#dropStaleBytes(client);
      client.setID(job.unitId);
      client.setTimeout(job.label.timeoutMs);
      const value = await job.run(client);
      this.#consecutiveTimeouts = 0;
      this.#forgetFinishedTransactions(client);
      job.resolve(value);
    } catch (error) {
      if (this.#client) this.#forgetFinishedTransactions(this.#client);
      if (failureKind(error) === 'timeout' && this.connection.kind !== 'tcp') this.#quietUntil = Date.now() + job.label.timeoutMs;
      if (!(job.options.timeoutsAreExpected && failureKind(error) === 'timeout')) this.#noteFailure(error);
      job.reject(toDeviceError(error, { ...job.label, serial: this.connection.kind === 'rtu' }));
    }
  }

  /**
   * RTU frames carry no transaction id: a reply that arrived after its request timed out would be
   * taken for the next request's. Empty the port's receive buffer before each request.
   */
  #dropStaleBytes(client: ModbusClient): void {
    if (this.connection.kind === 'tcp') return;
    const port = (client as unknown as { _port?: { _buffer?: Buffer } })._port;
    if (port && port._buffer && port._buffer.length > 0) {
      this.#logger.warn('dropped stale bytes before a request', { address: this.address, bytes: port._buffer.length });
      port._buffer = Buffer.alloc(0);
    }
  }

  /**
   * modbus-serial keeps its last 256 transactions per client, each holding its reply: with a
   * thousand devices that is hundreds of megabytes. One request is in flight per link, so every
   * earlier transaction is finished; a late reply then finds none and is ignored, as it should be.
   */
  #forgetFinishedTransactions(client: ModbusClient): void {
    const internals = client as unknown as { _transactions?: Record<string, unknown> };
    if (internals._transactions) internals._transactions = {};
  }

  #noteFailure(error: unknown): void {
    const kind = failureKind(error);
    if (kind === 'exception' || kind === 'reply') return;
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
    // A serial port that fails mid-write (an adapter pulled out: EIO) makes the client emit 'error';
    // unheard, that event would crash the whole core. The port closes too, so the next request reconnects.
    (client as unknown as NodeJS.EventEmitter).on('error', (error: unknown) => {
      this.#logger.warn('link error', { address: this.address, error: String(error) });
    });
    try {
      await this.#connect(client);
      this.traffic.tap(client);
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
          ? // Raw RTU frames over a TCP socket (a gateway in transparent mode) is modbus-serial's TelnetPort;
            // its TcpRTUBufferedPort speaks MBAP framing despite the name.
            client.connectTelnet(connection.host, { port: connection.port })
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
    for (const lane of this.#lanes) {
      for (const job of lane.splice(0)) job.reject(toDeviceError(new Error('the connection was closed'), job.label));
    }
    this.#drop();
  }
}
