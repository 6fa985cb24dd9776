// The historian's single writer. On the polling thread it decides what is worth storing — a change
// beyond the point's deadband, a change of quality, or a heartbeat, so a flat line is still
// distinguishable from a dead device — and packs those samples. Writing them is one transaction per
// flush: on a writer thread in the running app (a commit's fsync must not stall polling), or inline
// where there is no thread (tests, tools). Rows the disk refuses are kept and retried.
import { Worker } from 'node:worker_threads';
import { QUALITIES, type Quality, type Sample } from '../../shared/index.ts';
import type { Logger } from '../host.ts';
import type { Db } from '../storage/database.ts';
import { createRowInserter, PackedRows } from './sample-rows.ts';
import type { FromWriter, ToWriter } from './writer-messages.ts';

export interface PointStorage {
  num: number;
  deadband: number;
}

interface StoredState {
  ts: number;
  value: number | null;
  quality: Quality;
}

export interface SampleWriterOptions {
  flushIntervalMs?: number;
  /** Longest a steady value goes without a stored sample. */
  heartbeatMs?: number;
  /** Most samples held in memory while the disk refuses writes; the oldest are dropped beyond it. */
  maxPending?: number;
  /**
   * Write on this worker script (core/historian/writer-thread.ts, or its bundled copy) against the
   * database file; without it, writes happen inline on the calling thread.
   */
  thread?: { script: URL; file: string };
}

const QUALITY_CODE: Record<Quality, number> = { good: 0, stale: 1, bad: 2 };
export const qualityFromCode = (code: number): Quality => QUALITIES[code] ?? 'bad';

export class SampleWriter {
  readonly #logger: Logger;
  readonly #lookup: (pointId: string) => PointStorage | undefined;
  readonly #lastStored = new Map<number, StoredState>();
  readonly #heartbeatMs: number;
  readonly #maxPending: number;
  readonly #insert: ((rows: Float64Array, count: number) => void) | undefined;
  readonly #worker: Worker | undefined;
  #pending = new PackedRows();
  #inFlight = 0;
  #timer: NodeJS.Timeout | undefined;
  #failing = false;
  #written = 0;
  #closed: Promise<void> | undefined;
  #onClosed: (() => void) | undefined;

  constructor(
    db: Db,
    lookup: (pointId: string) => PointStorage | undefined,
    logger: Logger,
    options: SampleWriterOptions = {},
  ) {
    this.#lookup = lookup;
    this.#logger = logger;
    this.#heartbeatMs = options.heartbeatMs ?? 60_000;
    this.#maxPending = options.maxPending ?? 1_000_000;
    if (options.thread) {
      this.#worker = new Worker(options.thread.script, { workerData: { file: options.thread.file, maxQueuedRows: this.#maxPending } });
      this.#worker.on('message', (message: FromWriter) => this.#onWriterMessage(message));
      this.#worker.on('error', (error) => this.#logger.error('the historian writer thread failed', { error: String(error) }));
      this.#worker.unref();
    } else {
      this.#insert = createRowInserter(db);
    }
    const interval = options.flushIntervalMs ?? 100;
    if (interval > 0) {
      this.#timer = setInterval(() => this.flush(), interval);
      this.#timer.unref();
    }
  }

  /** Queues samples; returns how many of them will be stored. Strings are live-only. */
  append(samples: readonly Sample[]): number {
    let accepted = 0;
    for (const sample of samples) {
      if (typeof sample.value === 'string') continue;
      const point = this.#lookup(sample.pointId);
      if (!point || !this.#worthStoring(point, sample)) continue;
      const stored = this.#lastStored.get(point.num);
      if (stored) {
        stored.ts = sample.ts;
        stored.value = sample.value;
        stored.quality = sample.quality;
      } else {
        this.#lastStored.set(point.num, { ts: sample.ts, value: sample.value, quality: sample.quality });
      }
      this.#pending.push(point.num, sample.ts, sample.value, QUALITY_CODE[sample.quality]);
      accepted++;
    }
    if (this.#pending.count > this.#maxPending) {
      const dropped = this.#pending.count - this.#maxPending;
      this.#pending.dropOldest(dropped);
      this.#logger.error('samples dropped: the database has refused writes for too long', { dropped });
    }
    return accepted;
  }

  #worthStoring(point: PointStorage, sample: Sample): boolean {
    const last = this.#lastStored.get(point.num);
    if (!last) return true;
    if (sample.ts <= last.ts) return false;
    if (last.quality !== sample.quality) return true;
    if (sample.ts - last.ts >= this.#heartbeatMs) return true;
    const value = sample.value as number | null;
    if (value === null || last.value === null) return value !== last.value;
    const change = Math.abs(value - last.value);
    return point.deadband > 0 ? change > point.deadband : change > 0;
  }

  /**
   * Writes everything pending in one transaction, or hands it to the writer thread. Returns the rows
   * written (inline) or handed over (thread); inline, rows the disk refuses stay pending.
   */
  flush(): number {
    if (this.#pending.count === 0 || this.#closed) return 0;
    const { rows, count } = this.#pending.takeAll();
    if (this.#worker) {
      this.#inFlight += count;
      const message: ToWriter = { type: 'rows', rows, count };
      this.#worker.postMessage(message, [rows.buffer as ArrayBuffer]);
      return count;
    }
    try {
      this.#insert!(rows, count);
      this.#written += count;
      this.#noteSuccess();
      return count;
    } catch (error) {
      this.#pending.restore(rows, count);
      this.#noteFailure(error instanceof Error ? error.message : String(error));
      return 0;
    }
  }

  #onWriterMessage(message: FromWriter): void {
    switch (message.type) {
      case 'written':
        this.#inFlight -= message.count;
        this.#written += message.count;
        this.#noteSuccess();
        break;
      case 'failed':
        this.#noteFailure(message.message);
        break;
      case 'dropped':
        this.#inFlight -= message.count;
        this.#logger.error('samples dropped: the database has refused writes for too long', { dropped: message.count });
        break;
      case 'closed':
        if (message.unwritten > 0) this.#logger.error('samples not written at shutdown: the database refused them', { unwritten: message.unwritten });
        this.#onClosed?.();
        break;
      case 'ready':
        break;
    }
  }

  #noteSuccess(): void {
    if (this.#failing) this.#logger.info('the database accepts writes again');
    this.#failing = false;
  }

  #noteFailure(reason: string): void {
    if (!this.#failing) this.#logger.error('cannot write samples; they are kept and retried', { error: reason });
    this.#failing = true;
  }

  /** Samples accepted but not yet on disk. */
  get pending(): number {
    return this.#pending.count + this.#inFlight;
  }

  get written(): number {
    return this.#written;
  }

  /** Writes what is pending and stops; with a writer thread, resolves once the thread has finished. */
  close(): Promise<void> {
    if (this.#closed) return this.#closed;
    if (this.#timer) clearInterval(this.#timer);
    this.flush();
    const worker = this.#worker;
    if (!worker) {
      this.#closed = Promise.resolve();
      return this.#closed;
    }
    this.#closed = new Promise<void>((resolve) => {
      const timeout = setTimeout(() => {
        this.#logger.error('the historian writer thread did not finish in time');
        void worker.terminate().then(() => resolve());
      }, 15_000);
      this.#onClosed = () => {
        clearTimeout(timeout);
        void worker.terminate().then(() => resolve());
      };
      const message: ToWriter = { type: 'close' };
      worker.postMessage(message);
    });
    return this.#closed;
  }
}
