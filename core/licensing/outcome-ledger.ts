// The outcome ledger (issue 8 item 4): this machine's outcome statements for pay-for-results,
// append-only like the usage ledger — a gapless sequence, a time-ordered record id, each statement
// chained to the one before by the hash the cloud checks (hash-chain.ts) — so a removed or edited
// statement shows, here (`verify`) and in the cloud. Each statement keeps how its figures were
// computed (a message key and parameters) for the screen that shows it.
import { GENESIS_HASH, MAX_BATCH_RECORDS, OutcomeStatementSchema, type OutcomeStatement } from '../../shared/cloud/index.ts';
import type { MessageKey } from '../../shared/i18n/index.ts';
import type { Db } from '../storage/database.ts';
import { chainedRecordHash, nextRecordId } from './hash-chain.ts';
import type { ClockState, LedgerCheck } from './usage-ledger.ts';

/** One closed measured period's outcome, as the outcome job hands it to the ledger. */
export interface OutcomeInput {
  templateId: string;
  templateVersion: string;
  metric: string;
  unit: string;
  baseline: OutcomeStatement['baseline'];
  measured: OutcomeStatement['measured'];
  clockState: ClockState;
  /** How the figures were computed, rendered in the reader's language. */
  method: { key: MessageKey; params: Record<string, string | number> };
}

export interface StoredOutcome {
  statement: OutcomeStatement;
  method: { key: MessageKey; params: Record<string, string | number> };
}

interface Row {
  sequence: number;
  record_id: string;
  statement: string;
  method_key: string;
  method_params: string;
  prev_hash: string;
  hash: string;
}

export class OutcomeLedgerError extends Error {
  override name = 'OutcomeLedgerError';
  readonly code: 'duplicate_period' | 'invalid_record';
  constructor(code: 'duplicate_period' | 'invalid_record', message: string) {
    super(message);
    this.code = code;
  }
}

export class OutcomeLedger {
  readonly #db: Db;
  readonly #now: () => number;

  constructor(db: Db, options: { now?: () => number } = {}) {
    this.#db = db;
    this.#now = options.now ?? Date.now;
  }

  /** Appends one statement; the outcome is the baseline minus the measured figure, as the cloud checks. */
  append(input: OutcomeInput): OutcomeStatement {
    const run = this.#db.transaction(() => {
      const taken = this.#db
        .prepare('SELECT record_id FROM outcome_statements WHERE template_id = ? AND metric = ? AND measured_start < ? AND measured_end > ? LIMIT 1')
        .pluck()
        .get(input.templateId, input.metric, input.measured.period.end, input.measured.period.start) as string | undefined;
      if (taken !== undefined) {
        throw new OutcomeLedgerError('duplicate_period', `${input.metric} of ${input.templateId} already has a statement for this period (${taken}).`);
      }
      const last = this.#db.prepare('SELECT sequence, record_id, hash FROM outcome_statements ORDER BY sequence DESC LIMIT 1').get() as
        | { sequence: number; record_id: string; hash: string }
        | undefined;
      const unsigned: Omit<OutcomeStatement, 'hash'> = {
        recordId: nextRecordId(this.#now(), last?.record_id),
        sequence: (last?.sequence ?? 0) + 1,
        templateId: input.templateId,
        templateVersion: input.templateVersion,
        clockState: input.clockState,
        recordedAt: this.#now(),
        prevHash: last?.hash ?? GENESIS_HASH,
        metric: input.metric,
        unit: input.unit,
        baseline: input.baseline,
        measured: input.measured,
        outcome: input.baseline.value - input.measured.value,
      };
      const statement: OutcomeStatement = { ...unsigned, hash: chainedRecordHash<OutcomeStatement>(unsigned) };
      const checked = OutcomeStatementSchema.safeParse(statement);
      if (!checked.success) {
        throw new OutcomeLedgerError('invalid_record', `This outcome statement would be refused: ${checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      }
      this.#db
        .prepare(
          `INSERT INTO outcome_statements (sequence, record_id, template_id, metric, measured_start, measured_end, statement, method_key, method_params, prev_hash, hash)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          statement.sequence,
          statement.recordId,
          statement.templateId,
          statement.metric,
          statement.measured.period.start,
          statement.measured.period.end,
          JSON.stringify(statement),
          input.method.key,
          JSON.stringify(input.method.params),
          statement.prevHash,
          statement.hash,
        );
      this.#db
        .prepare('INSERT INTO outcome_ledger_head (id, sequence, hash) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET sequence = excluded.sequence, hash = excluded.hash')
        .run(statement.sequence, statement.hash);
      return statement;
    });
    return run.immediate();
  }

  /** The outbox: statements after `afterSequence`, in order, at most one batch. */
  pending(afterSequence: number, limit: number = MAX_BATCH_RECORDS): OutcomeStatement[] {
    return (
      this.#db
        .prepare('SELECT statement FROM outcome_statements WHERE sequence > ? ORDER BY sequence LIMIT ?')
        .pluck()
        .all(afterSequence, Math.max(0, Math.min(limit, MAX_BATCH_RECORDS))) as string[]
    ).map((text) => JSON.parse(text) as OutcomeStatement);
  }

  head(): { sequence: number; hash: string } {
    const last = this.#db.prepare('SELECT sequence, hash FROM outcome_statements ORDER BY sequence DESC LIMIT 1').get() as { sequence: number; hash: string } | undefined;
    return last ?? { sequence: 0, hash: GENESIS_HASH };
  }

  /** Every statement (of one template when given), newest first, with how it was computed. */
  list(templateId?: string, limit = 1_000): StoredOutcome[] {
    const rows = (
      templateId === undefined
        ? this.#db.prepare('SELECT * FROM outcome_statements ORDER BY sequence DESC LIMIT ?').all(limit)
        : this.#db.prepare('SELECT * FROM outcome_statements WHERE template_id = ? ORDER BY sequence DESC LIMIT ?').all(templateId, limit)
    ) as Row[];
    return rows.map((row) => ({
      statement: JSON.parse(row.statement) as OutcomeStatement,
      method: { key: row.method_key as MessageKey, params: JSON.parse(row.method_params) as Record<string, string | number> },
    }));
  }

  /** The end of the last measured period stated for a template and metric; null when there is none. */
  lastMeasuredEnd(templateId: string, metric: string): number | null {
    return (this.#db.prepare('SELECT max(measured_end) FROM outcome_statements WHERE template_id = ? AND metric = ?').pluck().get(templateId, metric) as number | null) ?? null;
  }

  /** Walks the chain as the cloud would and names the first statement removed or edited. */
  verify(): LedgerCheck {
    let expected = 1;
    let prevHash = GENESIS_HASH;
    let previous: Row | undefined;
    for (const row of this.#db.prepare('SELECT * FROM outcome_statements ORDER BY sequence').iterate() as IterableIterator<Row>) {
      if (row.sequence !== expected) return { ok: false, sequence: expected, problem: 'missing', message: `Outcome statement ${expected} is missing: it was removed.` };
      let statement: OutcomeStatement | undefined;
      try {
        statement = JSON.parse(row.statement) as OutcomeStatement;
      } catch {
        statement = undefined;
      }
      if (!statement || statement.sequence !== row.sequence || chainedRecordHash<OutcomeStatement>(statement) !== row.hash || statement.hash !== row.hash) {
        return { ok: false, sequence: row.sequence, recordId: row.record_id, problem: 'edited', message: `Outcome statement ${row.sequence} does not match its own hash: it was edited.` };
      }
      if (row.prev_hash !== prevHash || statement.prevHash !== prevHash) {
        const culprit = previous ?? row;
        return { ok: false, sequence: culprit.sequence, recordId: culprit.record_id, problem: 'edited', message: `Outcome statement ${culprit.sequence} was replaced or edited.` };
      }
      previous = row;
      prevHash = row.hash;
      expected++;
    }
    const head = this.#db.prepare('SELECT sequence, hash FROM outcome_ledger_head WHERE id = 1').get() as { sequence: number; hash: string } | undefined;
    if (head && head.sequence >= expected) return { ok: false, sequence: expected, problem: 'missing', message: `Outcome statement ${expected} is missing: the last statements were removed.` };
    return { ok: true, count: expected - 1, headHash: prevHash };
  }
}
