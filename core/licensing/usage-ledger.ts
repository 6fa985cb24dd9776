// The metering ledger (issue 8 item 3): this machine's usage records for pay-after-use, append-only,
// one row per closed period and meter. Each record has a time-ordered unique id (UUID v7), the next
// number of a gapless sequence, an integer value in the meter's smallest unit, the clock state and
// the template, and is chained to the one before by hash — computed with the same shared/cloud
// functions the cloud checks with (recordHashInput, canonical JSON, SHA-256), so what `pending`
// hands the outbox is exactly what cloud/usage accepts. A closed record never changes: a correction
// is a new record naming the one it corrects. `verify` walks the chain and names the first record
// removed or edited.
import { GENESIS_HASH, MAX_BATCH_RECORDS, UsageRecordSchema, type UsageRecord } from '../../shared/cloud/index.ts';
import type { Db } from '../storage/database.ts';
import { chainedRecordHash, nextRecordId } from './hash-chain.ts';

export { nextRecordId };

export type ClockState = UsageRecord['clockState'];

/** One closed period of one meter, as the meter's owner hands it to the ledger. */
export interface UsageInput {
  templateId: string;
  templateVersion: string;
  meter: string;
  /** The meter's smallest unit, e.g. `Wh` or `s`. */
  unit: string;
  /** An integer in the smallest unit, not negative. */
  value: number;
  periodStart: number;
  periodEnd: number;
  /** From the time floor: `suspect` when the clock was found below it while recording. */
  clockState: ClockState;
}

/** A correction of a closed record: the amount to add to it (negative to take off), in its unit. */
export interface CorrectionInput {
  corrects: string;
  delta: number;
  clockState: ClockState;
  /** A correction may name a newer template version; by default the corrected record's. */
  templateVersion?: string;
}

export type LedgerErrorCode = 'duplicate_period' | 'invalid_record' | 'unknown_record';

export class UsageLedgerError extends Error {
  override name = 'UsageLedgerError';
  readonly code: LedgerErrorCode;
  constructor(code: LedgerErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export type ChainProblem =
  /** The record with this sequence is gone (a later one exists, or the head names it). */
  | 'missing'
  /** The record's content does not match its own hash, or it was rewritten with a fresh hash (the next record no longer links to it). */
  | 'edited';

export type LedgerCheck =
  | { ok: true; count: number; headHash: string }
  | { ok: false; sequence: number; recordId?: string; problem: ChainProblem; message: string };

interface Row {
  sequence: number;
  record_id: string;
  meter: string;
  unit: string;
  value: number;
  period_start: number;
  period_end: number;
  clock_state: ClockState;
  template_id: string;
  template_version: string;
  recorded_at: number;
  corrects: string | null;
  prev_hash: string;
  hash: string;
}

const COLUMNS =
  'sequence, record_id, meter, unit, value, period_start, period_end, clock_state, template_id, template_version, recorded_at, corrects, prev_hash, hash';

function toRecord(row: Row): UsageRecord {
  return {
    recordId: row.record_id,
    sequence: row.sequence,
    templateId: row.template_id,
    templateVersion: row.template_version,
    clockState: row.clock_state,
    recordedAt: row.recorded_at,
    ...(row.corrects === null ? {} : { corrects: row.corrects }),
    prevHash: row.prev_hash,
    hash: row.hash,
    meter: row.meter,
    unit: row.unit,
    value: row.value,
    periodStart: row.period_start,
    periodEnd: row.period_end,
  };
}

/** A usage record's own hash, as the cloud computes it (see hash-chain.ts). */
export function usageRecordHash(record: Omit<UsageRecord, 'hash'> & { hash?: string }): string {
  return chainedRecordHash<UsageRecord>(record);
}

export interface UsageLedgerOptions {
  /** Wall-clock time for `recordedAt` and record ids. */
  now?: () => number;
}

export class UsageLedger {
  readonly #db: Db;
  readonly #now: () => number;

  constructor(db: Db, options: UsageLedgerOptions = {}) {
    this.#db = db;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Closes one period of one meter: appends its record, in one transaction that takes the write
   * lock first (so two writers, even on two connections, never share a sequence number). A second
   * record for the same template, meter and period is refused (`duplicate_period`).
   */
  record(input: UsageInput): UsageRecord {
    if (!Number.isSafeInteger(input.value) || input.value < 0) {
      throw new UsageLedgerError('invalid_record', `A usage value is a whole, non-negative number in the smallest unit (got ${input.value}).`);
    }
    return this.#append(() => {
      const taken = this.#db
        .prepare('SELECT record_id FROM usage_records WHERE template_id = ? AND meter = ? AND corrects IS NULL AND period_start < ? AND period_end > ? LIMIT 1')
        .pluck()
        .get(input.templateId, input.meter, input.periodEnd, input.periodStart) as string | undefined;
      if (taken !== undefined) {
        throw new UsageLedgerError(
          'duplicate_period',
          `Meter ${input.meter} of ${input.templateId} already has a record for this period (${taken}): a closed period is recorded once; correct it instead.`,
        );
      }
      return { ...input, corrects: undefined };
    });
  }

  /** Appends a correction of a closed record (which itself never changes): same meter, unit and period, the delta as value. */
  correct(input: CorrectionInput): UsageRecord {
    if (!Number.isSafeInteger(input.delta) || input.delta === 0) {
      throw new UsageLedgerError('invalid_record', `A correction is a whole, non-zero number in the smallest unit (got ${input.delta}).`);
    }
    return this.#append(() => {
      const row = this.#db.prepare(`SELECT ${COLUMNS} FROM usage_records WHERE record_id = ?`).get(input.corrects) as Row | undefined;
      if (!row) throw new UsageLedgerError('unknown_record', `There is no usage record ${input.corrects} to correct.`);
      return {
        templateId: row.template_id,
        templateVersion: input.templateVersion ?? row.template_version,
        meter: row.meter,
        unit: row.unit,
        value: input.delta,
        periodStart: row.period_start,
        periodEnd: row.period_end,
        clockState: input.clockState,
        corrects: row.record_id,
      };
    });
  }

  #append(prepare: () => UsageInput & { corrects: string | undefined }): UsageRecord {
    const run = this.#db.transaction(() => {
      const fields = prepare();
      const last = this.#db.prepare('SELECT sequence, record_id, hash FROM usage_records ORDER BY sequence DESC LIMIT 1').get() as
        | { sequence: number; record_id: string; hash: string }
        | undefined;
      const unsigned: Omit<UsageRecord, 'hash'> = {
        recordId: nextRecordId(this.#now(), last?.record_id),
        sequence: (last?.sequence ?? 0) + 1,
        templateId: fields.templateId,
        templateVersion: fields.templateVersion,
        clockState: fields.clockState,
        recordedAt: this.#now(),
        ...(fields.corrects === undefined ? {} : { corrects: fields.corrects }),
        prevHash: last?.hash ?? GENESIS_HASH,
        meter: fields.meter,
        unit: fields.unit,
        value: fields.value,
        periodStart: fields.periodStart,
        periodEnd: fields.periodEnd,
      };
      const record = { ...unsigned, hash: usageRecordHash(unsigned) };
      // Exactly what the cloud will accept, or nothing is written.
      const checked = UsageRecordSchema.safeParse(record);
      if (!checked.success) {
        throw new UsageLedgerError('invalid_record', `This usage record would be refused: ${checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      }
      try {
        this.#db
          .prepare(
            `INSERT INTO usage_records (${COLUMNS}) VALUES (@sequence, @recordId, @meter, @unit, @value, @periodStart, @periodEnd, @clockState, @templateId, @templateVersion, @recordedAt, @corrects, @prevHash, @hash)`,
          )
          .run({ ...record, corrects: record.corrects ?? null });
      } catch (error) {
        // The partial unique index: another writer closed this period first.
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' && fields.corrects === undefined) {
          throw new UsageLedgerError('duplicate_period', `Meter ${fields.meter} of ${fields.templateId} already has a record for this period.`);
        }
        throw error;
      }
      this.#db.prepare('INSERT INTO usage_ledger_head (id, sequence, hash) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET sequence = excluded.sequence, hash = excluded.hash').run(
        record.sequence,
        record.hash,
      );
      return record;
    });
    // IMMEDIATE: the write lock before the last sequence is read.
    return run.immediate();
  }

  /** The outbox: records after `afterSequence`, in order, at most `limit` (and at most one batch). */
  pending(afterSequence: number, limit: number = MAX_BATCH_RECORDS): UsageRecord[] {
    const rows = this.#db
      .prepare(`SELECT ${COLUMNS} FROM usage_records WHERE sequence > ? ORDER BY sequence LIMIT ?`)
      .all(afterSequence, Math.max(0, Math.min(limit, MAX_BATCH_RECORDS))) as Row[];
    return rows.map(toRecord);
  }

  /** The highest sequence written and its hash (0 and the genesis hash when there is none). */
  head(): { sequence: number; hash: string } {
    const last = this.#db.prepare('SELECT sequence, hash FROM usage_records ORDER BY sequence DESC LIMIT 1').get() as { sequence: number; hash: string } | undefined;
    return last ?? { sequence: 0, hash: GENESIS_HASH };
  }

  /**
   * Walks the whole chain as the cloud would: a gapless sequence from 1, each record matching its
   * own hash, each linking to the one before, and the last one being the head written with it.
   * Reports the first record removed or edited.
   */
  verify(): LedgerCheck {
    let expected = 1;
    let previous: Row | undefined;
    let prevHash = GENESIS_HASH;
    for (const row of this.#db.prepare(`SELECT ${COLUMNS} FROM usage_records ORDER BY sequence`).iterate() as IterableIterator<Row>) {
      if (row.sequence !== expected) {
        return { ok: false, sequence: expected, problem: 'missing', message: `Usage record ${expected} is missing: it was removed.` };
      }
      const record = toRecord(row);
      if (!UsageRecordSchema.safeParse(record).success || usageRecordHash(record) !== row.hash) {
        return { ok: false, sequence: row.sequence, recordId: row.record_id, problem: 'edited', message: `Usage record ${row.sequence} does not match its own hash: it was edited.` };
      }
      if (row.prev_hash !== prevHash) {
        // This record is intact, so the one before it was rewritten (with a fresh hash of its own).
        const culprit = previous ?? row;
        return {
          ok: false,
          sequence: culprit.sequence,
          recordId: culprit.record_id,
          problem: 'edited',
          message: `Usage record ${row.sequence} does not follow record ${culprit.sequence}: record ${culprit.sequence} was replaced or edited.`,
        };
      }
      previous = row;
      prevHash = row.hash;
      expected++;
    }
    const head = this.#db.prepare('SELECT sequence, hash FROM usage_ledger_head WHERE id = 1').get() as { sequence: number; hash: string } | undefined;
    if (head && head.sequence >= expected) {
      return { ok: false, sequence: expected, problem: 'missing', message: `Usage record ${expected} is missing: the last records were removed.` };
    }
    if (head && previous && head.hash !== previous.hash) {
      return {
        ok: false,
        sequence: previous.sequence,
        recordId: previous.record_id,
        problem: 'edited',
        message: `Usage record ${previous.sequence} is not the record last written: it was replaced or edited.`,
      };
    }
    return { ok: true, count: expected - 1, headHash: prevHash };
  }
}
