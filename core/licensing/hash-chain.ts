// What the two append-only ledgers (usage records, outcome statements) share: a record's hash as the
// cloud computes it (SHA-256 of its canonical JSON without `hash`, shared/cloud/usage.ts), the
// time-ordered record ids (UUID v7) that stay unique and ascending however fast records are written,
// and the chained ledger itself (append, outbox, head, verify) over a table of either.
import crypto from 'node:crypto';
import { GENESIS_HASH, MAX_BATCH_RECORDS, recordHashInput, type ChainedRecord } from '../../shared/cloud/index.ts';
import type { Db } from '../storage/database.ts';

/** A record's own hash, as the cloud computes it: SHA-256 (hex) of its canonical JSON without `hash`. */
export function chainedRecordHash<T extends ChainedRecord>(record: Omit<T, 'hash'> & { hash?: string }): string {
  return crypto
    .createHash('sha256')
    .update(recordHashInput({ ...record, hash: '' } as unknown as ChainedRecord))
    .digest('hex');
}

/** A UUID version 7 later than `after` (when given): milliseconds, then a counter, then random bits. */
export function nextRecordId(nowMs: number, after?: string): string {
  let ms = Math.max(0, Math.floor(nowMs));
  let counter = crypto.randomInt(0, 0x800);
  if (after) {
    const lastMs = Number.parseInt(after.slice(0, 8) + after.slice(9, 13), 16);
    const lastCounter = Number.parseInt(after.slice(15, 18), 16);
    if (ms <= lastMs) {
      ms = lastMs;
      counter = lastCounter + 1;
      if (counter > 0xfff) {
        ms++;
        counter = 0;
      }
    }
  }
  const time = ms.toString(16).padStart(12, '0');
  const random = crypto.randomBytes(8);
  random[0] = (random[0]! & 0x3f) | 0x80;
  const tail = random.toString('hex');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${counter.toString(16).padStart(3, '0')}-${tail.slice(0, 4)}-${tail.slice(4, 16)}`;
}

/** The fields the chain gives a record; the rest are the ledger's own. */
export type ChainFields = 'recordId' | 'sequence' | 'recordedAt' | 'prevHash' | 'hash';

export type ChainProblem =
  /** The record with this sequence is gone (a later one exists, or the head names it). */
  | 'missing'
  /** The record's content does not match its own hash, or it was rewritten with a fresh hash (the next record no longer links to it). */
  | 'edited';

export type LedgerCheck =
  | { ok: true; count: number; headHash: string }
  | { ok: false; sequence: number; recordId?: string; problem: ChainProblem; message: string };

/** The columns every chained table has. */
export interface ChainRow {
  sequence: number;
  record_id: string;
  prev_hash: string;
  hash: string;
}

export interface ChainSpec<T extends ChainedRecord, Row extends ChainRow> {
  /** The records' table and the table holding the last sequence and hash written (`id = 1`). */
  table: string;
  headTable: string;
  /** What a record is called in sentences, e.g. `Usage record`. */
  noun: string;
  /** What the cloud accepts: a record that fails it is never written. */
  schema: { safeParse(value: unknown): { success: boolean; error?: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } } };
  /** A stored row as the record it holds (may throw when the row cannot be read). */
  read(row: Row): T;
  /** The ledger's own error for a record the cloud would refuse. */
  invalid(message: string): Error;
}

/**
 * An append-only, hash-chained ledger in one SQLite table: a gapless sequence from 1, a time-ordered
 * record id, each record linked to the one before by the hash the cloud checks, and a head row
 * written with each record (so removing the last records shows too). The usage and outcome ledgers
 * are this with their own columns.
 */
export class ChainedLedger<T extends ChainedRecord, Row extends ChainRow> {
  readonly #db: Db;
  readonly #spec: ChainSpec<T, Row>;
  readonly #now: () => number;

  constructor(db: Db, spec: ChainSpec<T, Row>, now: () => number) {
    this.#db = db;
    this.#spec = spec;
    this.#now = now;
  }

  /**
   * Appends one record in a transaction that takes the write lock first (two writers, even on two
   * connections, never share a sequence number): `fields` checks and gives the ledger's own fields
   * (it may throw to refuse), `insert` writes the finished record's row.
   */
  append(fields: () => Omit<T, ChainFields>, insert: (record: T) => void): T {
    const { table, headTable, noun, schema } = this.#spec;
    const run = this.#db.transaction(() => {
      const own = fields();
      const last = this.#db.prepare(`SELECT sequence, record_id, hash FROM ${table} ORDER BY sequence DESC LIMIT 1`).get() as Omit<ChainRow, 'prev_hash'> | undefined;
      const unsigned = {
        recordId: nextRecordId(this.#now(), last?.record_id),
        sequence: (last?.sequence ?? 0) + 1,
        recordedAt: this.#now(),
        prevHash: last?.hash ?? GENESIS_HASH,
        ...own,
      } as unknown as Omit<T, 'hash'>;
      const record = { ...unsigned, hash: chainedRecordHash<T>(unsigned as Omit<T, 'hash'> & { hash?: string }) } as unknown as T;
      // Exactly what the cloud will accept, or nothing is written.
      const checked = schema.safeParse(record);
      if (!checked.success) {
        throw this.#spec.invalid(`This ${noun.toLowerCase()} would be refused: ${(checked.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      }
      insert(record);
      this.#db
        .prepare(`INSERT INTO ${headTable} (id, sequence, hash) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET sequence = excluded.sequence, hash = excluded.hash`)
        .run(record.sequence, record.hash);
      return record;
    });
    // IMMEDIATE: the write lock before the last sequence is read.
    return run.immediate();
  }

  /** The outbox: records after `afterSequence`, in order, at most `limit` (and at most one batch). */
  pending(afterSequence: number, limit: number = MAX_BATCH_RECORDS): T[] {
    const rows = this.#db
      .prepare(`SELECT * FROM ${this.#spec.table} WHERE sequence > ? ORDER BY sequence LIMIT ?`)
      .all(afterSequence, Math.max(0, Math.min(limit, MAX_BATCH_RECORDS))) as Row[];
    return rows.map((row) => this.#spec.read(row));
  }

  /** The highest sequence written and its hash (0 and the genesis hash when there is none). */
  head(): { sequence: number; hash: string } {
    const last = this.#db.prepare(`SELECT sequence, hash FROM ${this.#spec.table} ORDER BY sequence DESC LIMIT 1`).get() as { sequence: number; hash: string } | undefined;
    return last ?? { sequence: 0, hash: GENESIS_HASH };
  }

  /**
   * Walks the whole chain as the cloud would: a gapless sequence from 1, each record matching its
   * own hash, each linking to the one before, and the last one being the head written with it.
   * Reports the first record removed or edited.
   */
  verify(): LedgerCheck {
    const { table, headTable, noun, schema } = this.#spec;
    let expected = 1;
    let previous: Row | undefined;
    let prevHash = GENESIS_HASH;
    for (const row of this.#db.prepare(`SELECT * FROM ${table} ORDER BY sequence`).iterate() as IterableIterator<Row>) {
      if (row.sequence !== expected) return { ok: false, sequence: expected, problem: 'missing', message: `${noun} ${expected} is missing: it was removed.` };
      let record: T | undefined;
      try {
        record = this.#spec.read(row);
      } catch {
        record = undefined;
      }
      if (!record || !schema.safeParse(record).success || record.sequence !== row.sequence || record.hash !== row.hash || chainedRecordHash<T>(record) !== row.hash) {
        return { ok: false, sequence: row.sequence, recordId: row.record_id, problem: 'edited', message: `${noun} ${row.sequence} does not match its own hash: it was edited.` };
      }
      if (row.prev_hash !== prevHash || record.prevHash !== prevHash) {
        // This record is intact, so the one before it was rewritten (with a fresh hash of its own).
        const culprit = previous ?? row;
        return {
          ok: false,
          sequence: culprit.sequence,
          recordId: culprit.record_id,
          problem: 'edited',
          message: `${noun} ${row.sequence} does not follow the one before: ${noun.toLowerCase()} ${culprit.sequence} was replaced or edited.`,
        };
      }
      previous = row;
      prevHash = row.hash;
      expected++;
    }
    const head = this.#db.prepare(`SELECT sequence, hash FROM ${headTable} WHERE id = 1`).get() as { sequence: number; hash: string } | undefined;
    if (head && head.sequence >= expected) return { ok: false, sequence: expected, problem: 'missing', message: `${noun} ${expected} is missing: the last ones were removed.` };
    if (head && previous && head.hash !== previous.hash) {
      return { ok: false, sequence: previous.sequence, recordId: previous.record_id, problem: 'edited', message: `${noun} ${previous.sequence} is not the one last written: it was replaced or edited.` };
    }
    return { ok: true, count: expected - 1, headHash: prevHash };
  }
}
