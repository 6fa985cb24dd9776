// The historian's single writer. On the polling thread it decides what is worth storing — a change
// beyond the point's deadband, a change of quality, or a heartbeat, so a flat line is still
// distinguishable from a dead device — and packs those samples. Writing them is one transaction per
// flush: on a writer thread in the running app (a commit's fsync must not stall polling), or inline
// where there is no thread (tests, tools). Rows the disk refuses are kept and retried. Without a
// database at all (the file cannot be used) it only holds the newest rows, bounded, until one is back.
import { Worker } from 'node:worker_threads';
import { QUALITIES, type Quality, type Sample } from '../../shared/index.ts';
import type { Logger } from '../host.ts';
import { takeOnlineBackup } from '../storage/backups.ts';
import type { Db } from '../storage/database.ts';
import { createRowInserter, PackedRows } from './sample-rows.ts';
import type { FromWriter, ToWriter, WriterMaintenance } from './writer-messages.ts';

/** Why the database refuses writes: SQLite's (or the system's) code and message. */
export interface WriteProblem {
  code: string | null;
  message: string;
}

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
   * database file; without it, writes happen inline on the calling thread. `maxPageCount` is a test
   * seam: the file may not grow beyond it, so writes fail with SQLITE_FULL as on a full disk.
   */
  thread?: { script: URL; file: string; maxPageCount?: number; maintenance?: WriterMaintenance };
  /** Told after each committed batch, with the number of rows it held (in the order they were appended). */
  onWritten?: (count: number) => void;
  /** Told when writes start failing (and why), and with null when they succeed again. */
  onProblem?: (problem: WriteProblem | null) => void;
}

const QUALITY_CODE: Record<Quality, number> = { good: 0, stale: 1, bad: 2 };
export const qualityFromCode = (code: number): Quality => QUALITIES[code] ?? 'bad';

export class SampleWriter {
  readonly #logger: Logger;
  readonly #lookup: (pointId: string) => PointStorage | undefined;
  readonly #lastStored = new Map<number, StoredState>();
  readonly #heartbeatMs: number;
  readonly #maxPending: number;
  readonly #db: Db | undefined;
  readonly #insert: ((rows: Float64Array, count: number) => void) | undefined;
  readonly #worker: Worker | undefined;
  readonly #onWritten: ((count: number) => void) | undefined;
  readonly #onProblem: ((problem: WriteProblem | null) => void) | undefined;
  #pending = new PackedRows();
  #inFlight = 0;
  #timer: NodeJS.Timeout | undefined;
  #failing: WriteProblem | undefined;
  #dropping = false;
  #written = 0;
  #closed: Promise<void> | undefined;
  #onClosed: (() => void) | undefined;
  readonly #backups = new Map<number, { resolve: (sizeBytes: number) => void; reject: (error: Error) => void }>();
  #nextBackupId = 1;

  /** `db` undefined: nothing is written, the newest `maxPending` rows are held (see takeUnwritten). */
  constructor(
    db: Db | undefined,
    lookup: (pointId: string) => PointStorage | undefined,
    logger: Logger,
    options: SampleWriterOptions = {},
  ) {
    this.#db = db;
    this.#lookup = lookup;
    this.#logger = logger;
    this.#heartbeatMs = options.heartbeatMs ?? 60_000;
    this.#maxPending = options.maxPending ?? 1_000_000;
    this.#onWritten = options.onWritten;
    this.#onProblem = options.onProblem;
    if (options.thread) {
      const { script, file, maxPageCount, maintenance = {} } = options.thread;
      this.#worker = new Worker(script, { workerData: { file, maxQueuedRows: this.#maxPending, maxPageCount, maintenance } });
      this.#worker.on('message', (message: FromWriter) => this.#onWriterMessage(message));
      this.#worker.on('error', (error) => {
        this.#logger.error('the historian writer thread failed', { error: String(error) });
        this.#failBackups(error);
      });
      this.#worker.unref();
    } else if (db) {
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
      // Once per spell, not once per read: the log must not fill the disk that may be full already.
      if (!this.#dropping) this.#logger.error('samples dropped: the database has refused writes for too long', { dropped });
      this.#dropping = true;
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
    if (this.#pending.count === 0 || this.#closed || !this.writes) return 0;
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
      this.#onWritten?.(count);
      return count;
    } catch (error) {
      this.#pending.restore(rows, count);
      const code = (error as NodeJS.ErrnoException).code;
      this.#noteFailure({ code: typeof code === 'string' ? code : null, message: error instanceof Error ? error.message : String(error) });
      return 0;
    }
  }

  /** Whether this writer stores anything (false: it only holds rows for a database to come). */
  get writes(): boolean {
    return this.#worker !== undefined || this.#insert !== undefined;
  }

  #onWriterMessage(message: FromWriter): void {
    switch (message.type) {
      case 'written':
        this.#inFlight -= message.count;
        this.#written += message.count;
        this.#noteSuccess();
        this.#onWritten?.(message.count);
        break;
      case 'failed':
        this.#noteFailure({ code: message.code, message: message.message });
        break;
      case 'dropped':
        this.#inFlight -= message.count;
        this.#logger.error('samples dropped: the database has refused writes for too long', { dropped: message.count });
        break;
      case 'maintenanceFailed':
        if (message.message === null) this.#logger.info('the historian upkeep (rollups, compaction, retention) works again');
        else this.#logger.error('the historian upkeep (rollups, compaction, retention) failed; it is retried', { error: message.message, code: message.code });
        break;
      case 'backedUp':
        this.#backups.get(message.id)?.resolve(message.sizeBytes);
        this.#backups.delete(message.id);
        break;
      case 'backupFailed': {
        const error = Object.assign(new Error(message.message), { code: message.code ?? undefined, damaged: message.damaged });
        this.#backups.get(message.id)?.reject(error);
        this.#backups.delete(message.id);
        break;
      }
      case 'closed':
        // What the database refused until the end comes back, older than what is pending here.
        this.#inFlight = 0;
        for (const batch of message.batches.reverse()) this.#pending.restore(batch.rows, batch.count);
        this.#onClosed?.();
        break;
      case 'ready':
        break;
    }
  }

  #noteSuccess(): void {
    this.#dropping = false;
    if (!this.#failing) return;
    this.#logger.info('the database accepts writes again');
    this.#failing = undefined;
    this.#onProblem?.(null);
  }

  #noteFailure(problem: WriteProblem): void {
    if (!this.#failing) this.#logger.error('cannot write samples; they are kept and retried', { error: problem.message, code: problem.code });
    const changed = this.#failing?.code !== problem.code || this.#failing?.message !== problem.message;
    this.#failing = problem;
    if (changed) this.#onProblem?.(problem);
  }

  #failBackups(error: Error): void {
    for (const backup of this.#backups.values()) backup.reject(error);
    this.#backups.clear();
  }

  /** Why writes fail now, or undefined while they succeed. */
  get problem(): WriteProblem | undefined {
    return this.#failing;
  }

  /** Samples accepted but not yet on disk. */
  get pending(): number {
    return this.#pending.count + this.#inFlight;
  }

  /**
   * Takes the rows not on disk (after close: what the database refused, or all of them for a writer
   * without a database), oldest first, so another writer can adopt them.
   */
  takeUnwritten(): { rows: Float64Array; count: number } {
    return this.#pending.takeAll();
  }

  /** Takes over rows another writer could not write; they go before this writer's own. */
  adopt(rows: Float64Array, count: number): void {
    if (count === 0) return;
    this.#pending.restore(rows, count);
    if (this.#pending.count > this.#maxPending) this.#pending.dropOldest(this.#pending.count - this.#maxPending);
  }

  /**
   * An online backup of the database into `dest` (a name not taken yet), on the writer thread when
   * there is one; resolves with its size once it passed its integrity check.
   */
  backup(dest: string): Promise<number> {
    if (this.#closed) return Promise.reject(new Error('the historian writer is closed'));
    if (this.#worker) {
      const id = this.#nextBackupId++;
      const done = new Promise<number>((resolve, reject) => this.#backups.set(id, { resolve, reject }));
      const message: ToWriter = { type: 'backup', id, dest };
      this.#worker.postMessage(message);
      return done;
    }
    if (!this.#db) return Promise.reject(new Error('there is no database to back up'));
    return takeOnlineBackup(this.#db, dest);
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
        this.#failBackups(new Error('the historian writer thread did not finish in time'));
        void worker.terminate().then(() => resolve());
      }, 60_000);
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
