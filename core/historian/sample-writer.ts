// The historian's single writer: samples are buffered and written in one transaction per flush.
// Only what carries information is stored — a change beyond the point's deadband, a change of
// quality, or a heartbeat — so a flat line is still distinguishable from a dead device.
import { QUALITIES, type Quality, type Sample } from '../../shared/index.ts';
import type { Logger } from '../host.ts';
import type { Db } from '../storage/database.ts';

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
}

const QUALITY_CODE: Record<Quality, number> = { good: 0, stale: 1, bad: 2 };
export const qualityFromCode = (code: number): Quality => QUALITIES[code] ?? 'bad';

export class SampleWriter {
  readonly #db: Db;
  readonly #logger: Logger;
  readonly #lookup: (pointId: string) => PointStorage | undefined;
  readonly #insert;
  readonly #lastStored = new Map<number, StoredState>();
  readonly #heartbeatMs: number;
  readonly #maxPending: number;
  #pending: { num: number; ts: number; value: number | null; quality: number }[] = [];
  #timer: NodeJS.Timeout | undefined;
  #failing = false;
  #written = 0;

  constructor(
    db: Db,
    lookup: (pointId: string) => PointStorage | undefined,
    logger: Logger,
    options: SampleWriterOptions = {},
  ) {
    this.#db = db;
    this.#lookup = lookup;
    this.#logger = logger;
    this.#heartbeatMs = options.heartbeatMs ?? 60_000;
    this.#maxPending = options.maxPending ?? 1_000_000;
    this.#insert = db.prepare('INSERT OR REPLACE INTO samples (point, ts, value, quality) VALUES (?, ?, ?, ?)');
    const interval = options.flushIntervalMs ?? 250;
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
      this.#lastStored.set(point.num, { ts: sample.ts, value: sample.value, quality: sample.quality });
      this.#pending.push({ num: point.num, ts: sample.ts, value: sample.value, quality: QUALITY_CODE[sample.quality] });
      accepted++;
    }
    if (this.#pending.length > this.#maxPending) {
      const dropped = this.#pending.length - this.#maxPending;
      this.#pending.splice(0, dropped);
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

  /** Writes everything pending in one transaction; keeps it pending if the disk refuses. */
  flush(): number {
    if (this.#pending.length === 0) return 0;
    const batch = this.#pending;
    try {
      this.#db.transaction(() => {
        for (const row of batch) this.#insert.run(row.num, row.ts, row.value, row.quality);
      })();
      this.#pending = this.#pending === batch ? [] : this.#pending.slice(batch.length);
      this.#written += batch.length;
      if (this.#failing) this.#logger.info('the database accepts writes again');
      this.#failing = false;
      return batch.length;
    } catch (error) {
      if (!this.#failing) this.#logger.error('cannot write samples; they are kept and retried', { error: String(error) });
      this.#failing = true;
      return 0;
    }
  }

  get pending(): number {
    return this.#pending.length;
  }

  get written(): number {
    return this.#written;
  }

  close(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.flush();
  }
}
