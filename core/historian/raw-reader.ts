// One point's stored samples over a range, wherever they live: compressed blocks for closed hours
// (core/historian/block-codec.ts) and plain rows for the newest minutes. A sample can sit in both for
// a moment (written late into an hour already compressed, before the next maintenance merges it);
// the plain row wins, as it is the newer write.
import type { Db } from '../storage/database.ts';
import { decodeBlock } from './block-codec.ts';
import { HOUR_MS, type RawSample } from './rollup.ts';

export class RawReader {
  readonly #blocks;
  readonly #rows;
  readonly #countRows;
  readonly #countBlocks;
  readonly #nextRow;
  readonly #nextBlock;

  constructor(db: Db) {
    // A block holds samples of one hour window, so one starting an hour before `from` is the earliest that can reach it.
    this.#blocks = db
      .prepare('SELECT data FROM sample_blocks WHERE point = ? AND start_ts > ? AND start_ts <= ? AND end_ts >= ? ORDER BY start_ts')
      .pluck();
    this.#rows = db.prepare('SELECT ts, value, quality FROM samples WHERE point = ? AND ts >= ? AND ts <= ? ORDER BY ts').raw();
    this.#countRows = db.prepare('SELECT count(*) FROM samples WHERE point = ? AND ts >= ? AND ts <= ?').pluck();
    this.#countBlocks = db
      .prepare('SELECT coalesce(sum(count), 0) FROM sample_blocks WHERE point = ? AND start_ts > ? AND start_ts <= ? AND end_ts >= ?')
      .pluck();
    this.#nextRow = db.prepare('SELECT ts FROM samples WHERE point = ? AND ts > ? AND ts <= ? ORDER BY ts LIMIT 1').pluck();
    this.#nextBlock = db
      .prepare('SELECT start_ts FROM sample_blocks WHERE point = ? AND start_ts > ? AND end_ts > ? AND start_ts <= ? ORDER BY start_ts LIMIT 1')
      .pluck();
  }

  /** The earliest time after `after` (up to `to`) from which samples may be stored; undefined: none. */
  nextTime(num: number, after: number, to: number): number | undefined {
    const row = this.#nextRow.get(num, after, to) as number | undefined;
    const block = this.#nextBlock.get(num, after - HOUR_MS, after, to) as number | undefined;
    if (block === undefined) return row;
    const fromBlock = Math.max(block, after + 1);
    return row === undefined ? fromBlock : Math.min(row, fromBlock);
  }

  /** About how many samples `read` would return (blocks at the edges count whole). */
  estimate(num: number, from: number, to: number): number {
    return (this.#countRows.get(num, from, to) as number) + (this.#countBlocks.get(num, from - HOUR_MS, to, from) as number);
  }

  /** The samples of point `num` with from ≤ ts ≤ to, in time order; `value` NaN where there is none. */
  read(num: number, from: number, to: number): RawSample[] {
    const fromBlocks: RawSample[] = [];
    for (const data of this.#blocks.all(num, from - HOUR_MS, to, from) as Uint8Array[]) {
      const block = decodeBlock(data);
      for (let index = 0; index < block.ts.length; index++) {
        const ts = block.ts[index]!;
        if (ts >= from && ts <= to) fromBlocks.push({ ts, value: block.values[index]!, quality: block.qualities[index]! });
      }
    }
    const rows = (this.#rows.all(num, from, to) as [number, number | null, number][]).map(([ts, value, quality]) => ({
      ts,
      value: value ?? Number.NaN,
      quality,
    }));
    if (fromBlocks.length === 0) return rows;
    if (rows.length === 0) return fromBlocks;
    return mergeByTime(fromBlocks, rows);
  }
}

/** Both lists in time order, merged; at equal times `newer` wins. */
export function mergeByTime(older: readonly RawSample[], newer: readonly RawSample[]): RawSample[] {
  const merged: RawSample[] = [];
  let i = 0;
  let j = 0;
  while (i < older.length || j < newer.length) {
    const a = older[i];
    const b = newer[j];
    if (b === undefined || (a !== undefined && a.ts < b.ts)) {
      merged.push(a!);
      i++;
    } else {
      if (a !== undefined && a.ts === b.ts) i++;
      merged.push(b);
      j++;
    }
  }
  return merged;
}
