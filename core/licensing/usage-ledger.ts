// The metering ledger (issue 8 item 3): this machine's usage records for pay-after-use, append-only,
// one row per closed period and meter. Each record has a time-ordered unique id (UUID v7), the next
// number of a gapless sequence, an integer value in the meter's smallest unit, the clock state and
// the template, and is chained to the one before by hash — computed with the same shared/cloud
// functions the cloud checks with (recordHashInput, canonical JSON, SHA-256), so what `pending`
// hands the outbox is exactly what cloud/usage accepts. A closed record never changes: a correction
// is a new record naming the one it corrects. `verify` walks the chain and names the first record
// removed or edited.
import { MAX_BATCH_RECORDS, UsageRecordSchema, type UsageRecord } from '../../shared/cloud/index.ts';
import type { Db } from '../storage/database.ts';
import { ChainedLedger, chainedRecordHash, nextRecordId, type ChainRow, type LedgerCheck } from './hash-chain.ts';

export { nextRecordId };
export type { ChainProblem, LedgerCheck } from './hash-chain.ts';

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

interface Row extends ChainRow {
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
  readonly #chain: ChainedLedger<UsageRecord, Row>;

  constructor(db: Db, options: UsageLedgerOptions = {}) {
    this.#db = db;
    this.#chain = new ChainedLedger<UsageRecord, Row>(
      db,
      { table: 'usage_records', headTable: 'usage_ledger_head', noun: 'Usage record', schema: UsageRecordSchema, read: toRecord, invalid: (message) => new UsageLedgerError('invalid_record', message) },
      options.now ?? Date.now,
    );
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
    let corrects: string | undefined;
    let fields: UsageInput | undefined;
    return this.#chain.append(
      () => {
        const { corrects: corrected, ...own } = prepare();
        corrects = corrected;
        fields = own;
        return { ...own, ...(corrected === undefined ? {} : { corrects: corrected }) };
      },
      (record) => {
        try {
          this.#db
            .prepare(
              `INSERT INTO usage_records (${COLUMNS}) VALUES (@sequence, @recordId, @meter, @unit, @value, @periodStart, @periodEnd, @clockState, @templateId, @templateVersion, @recordedAt, @corrects, @prevHash, @hash)`,
            )
            .run({ ...record, corrects: record.corrects ?? null });
        } catch (error) {
          // The partial unique index: another writer closed this period first.
          if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' && corrects === undefined) {
            throw new UsageLedgerError('duplicate_period', `Meter ${fields!.meter} of ${fields!.templateId} already has a record for this period.`);
          }
          throw error;
        }
      },
    );
  }

  /** The outbox: records after `afterSequence`, in order, at most `limit` (and at most one batch). */
  pending(afterSequence: number, limit: number = MAX_BATCH_RECORDS): UsageRecord[] {
    return this.#chain.pending(afterSequence, limit);
  }

  /** The highest sequence written and its hash (0 and the genesis hash when there is none). */
  head(): { sequence: number; hash: string } {
    return this.#chain.head();
  }

  /** Walks the whole chain as the cloud would and names the first record removed or edited (see hash-chain.ts). */
  verify(): LedgerCheck {
    return this.#chain.verify();
  }
}
