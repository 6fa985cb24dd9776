// Samples on their way to disk as packed numbers (point, time, value, quality), four slots a row:
// no object per sample on the polling thread, and a buffer that moves to the writer thread without
// copying. One routine writes them, on whichever thread owns the writing connection.
import type Database from 'better-sqlite3';

/** Slots per row: point number, time (ms), value (NaN for none), quality code. */
export const ROW_SLOTS = 4;
/** Rows per INSERT statement: one call into SQLite per 128 samples instead of one per sample. */
const ROWS_PER_STATEMENT = 128;

export class PackedRows {
  #data: Float64Array;
  #count = 0;

  constructor(capacity = 1024) {
    this.#data = new Float64Array(capacity * ROW_SLOTS);
  }

  get count(): number {
    return this.#count;
  }

  push(num: number, ts: number, value: number | null, quality: number): void {
    if ((this.#count + 1) * ROW_SLOTS > this.#data.length) {
      const grown = new Float64Array(this.#data.length * 2);
      grown.set(this.#data);
      this.#data = grown;
    }
    const at = this.#count * ROW_SLOTS;
    this.#data[at] = num;
    this.#data[at + 1] = ts;
    this.#data[at + 2] = value ?? Number.NaN;
    this.#data[at + 3] = quality;
    this.#count++;
  }

  /** Hands out every row and starts empty: the returned array may be transferred to another thread. */
  takeAll(): { rows: Float64Array; count: number } {
    const taken = { rows: this.#data.subarray(0, this.#count * ROW_SLOTS), count: this.#count };
    this.#data = new Float64Array(Math.max(1024, this.#count) * ROW_SLOTS);
    this.#count = 0;
    return taken;
  }

  /** Drops the oldest rows (when the disk has refused writes for too long). */
  dropOldest(rows: number): void {
    const dropped = Math.min(rows, this.#count);
    this.#data.copyWithin(0, dropped * ROW_SLOTS, this.#count * ROW_SLOTS);
    this.#count -= dropped;
  }

  /** Puts rows back in front (a write that failed), keeping their order. */
  restore(rows: Float64Array, count: number): void {
    const rest = this.#data.subarray(0, this.#count * ROW_SLOTS);
    const merged = new Float64Array(Math.max(this.#data.length, (count + this.#count) * ROW_SLOTS));
    merged.set(rows.subarray(0, count * ROW_SLOTS));
    merged.set(rest, count * ROW_SLOTS);
    this.#data = merged;
    this.#count += count;
  }
}

/** A function that writes packed rows in one transaction (all or none). */
export function createRowInserter(db: Database.Database): (rows: Float64Array, count: number) => void {
  const one = db.prepare('INSERT OR REPLACE INTO samples (point, ts, value, quality) VALUES (?, ?, ?, ?)');
  const many = db.prepare(
    `INSERT OR REPLACE INTO samples (point, ts, value, quality) VALUES ${Array(ROWS_PER_STATEMENT).fill('(?, ?, ?, ?)').join(', ')}`,
  );
  const values: (number | null)[] = new Array(ROWS_PER_STATEMENT * ROW_SLOTS);
  const slot = (rows: Float64Array, index: number) => {
    const value = rows[index]!;
    return Number.isNaN(value) ? null : value;
  };
  return db.transaction((rows: Float64Array, count: number) => {
    const whole = count - (count % ROWS_PER_STATEMENT);
    for (let start = 0; start < whole; start += ROWS_PER_STATEMENT) {
      const base = start * ROW_SLOTS;
      for (let index = 0; index < ROWS_PER_STATEMENT * ROW_SLOTS; index++) values[index] = slot(rows, base + index);
      many.run(values);
    }
    for (let row = whole; row < count; row++) {
      const at = row * ROW_SLOTS;
      one.run(rows[at], rows[at + 1], slot(rows, at + 2), rows[at + 3]);
    }
  });
}

/**
 * The rows with their point numbers translated by `numberOf` (from one database's numbering to
 * another's, after a restore); rows of points `numberOf` does not know are left out.
 */
export function renumberRows(rows: Float64Array, count: number, numberOf: (num: number) => number | undefined): { rows: Float64Array; count: number } {
  const out = new PackedRows(Math.max(1, count));
  for (let row = 0; row < count; row++) {
    const at = row * ROW_SLOTS;
    const num = numberOf(rows[at]!);
    if (num === undefined) continue;
    const value = rows[at + 2]!;
    out.push(num, rows[at + 1]!, Number.isNaN(value) ? null : value, rows[at + 3]!);
  }
  return out.takeAll();
}
