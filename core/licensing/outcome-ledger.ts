// The outcome ledger (issue 8 item 4): this machine's outcome statements for pay-for-results,
// append-only like the usage ledger — a gapless sequence, a time-ordered record id, each statement
// chained to the one before by the hash the cloud checks (hash-chain.ts) — so a removed or edited
// statement shows, here (`verify`) and in the cloud. Each statement keeps how its figures were
// computed (a message key and parameters) for the screen that shows it.
import { MAX_BATCH_RECORDS, OutcomeStatementSchema, type OutcomeStatement } from '../../shared/cloud/index.ts';
import type { MessageKey } from '../../shared/i18n/index.ts';
import type { Db } from '../storage/database.ts';
import { ChainedLedger, type ChainRow, type LedgerCheck } from './hash-chain.ts';
import type { ClockState } from './usage-ledger.ts';

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

interface Row extends ChainRow {
  statement: string;
  method_key: string;
  method_params: string;
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
  readonly #chain: ChainedLedger<OutcomeStatement, Row>;

  constructor(db: Db, options: { now?: () => number } = {}) {
    this.#db = db;
    this.#chain = new ChainedLedger<OutcomeStatement, Row>(
      db,
      {
        table: 'outcome_statements',
        headTable: 'outcome_ledger_head',
        noun: 'Outcome statement',
        schema: OutcomeStatementSchema,
        read: (row) => JSON.parse(row.statement) as OutcomeStatement,
        invalid: (message) => new OutcomeLedgerError('invalid_record', message),
      },
      options.now ?? Date.now,
    );
  }

  /** Appends one statement; the outcome is the baseline minus the measured figure, as the cloud checks. */
  append(input: OutcomeInput): OutcomeStatement {
    return this.#chain.append(
      () => {
        const taken = this.#db
          .prepare('SELECT record_id FROM outcome_statements WHERE template_id = ? AND metric = ? AND measured_start < ? AND measured_end > ? LIMIT 1')
          .pluck()
          .get(input.templateId, input.metric, input.measured.period.end, input.measured.period.start) as string | undefined;
        if (taken !== undefined) {
          throw new OutcomeLedgerError('duplicate_period', `${input.metric} of ${input.templateId} already has a statement for this period (${taken}).`);
        }
        return {
          templateId: input.templateId,
          templateVersion: input.templateVersion,
          clockState: input.clockState,
          metric: input.metric,
          unit: input.unit,
          baseline: input.baseline,
          measured: input.measured,
          outcome: input.baseline.value - input.measured.value,
        };
      },
      (statement) => {
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
      },
    );
  }

  /** The outbox: statements after `afterSequence`, in order, at most one batch. */
  pending(afterSequence: number, limit: number = MAX_BATCH_RECORDS): OutcomeStatement[] {
    return this.#chain.pending(afterSequence, limit);
  }

  head(): { sequence: number; hash: string } {
    return this.#chain.head();
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

  /** The start of the first measured period stated for a template; null when there is none. */
  firstMeasuredStart(templateId: string): number | null {
    return (this.#db.prepare('SELECT min(measured_start) FROM outcome_statements WHERE template_id = ?').pluck().get(templateId) as number | null) ?? null;
  }

  /** The end of the last measured period stated for a template and metric; null when there is none. */
  lastMeasuredEnd(templateId: string, metric: string): number | null {
    return (this.#db.prepare('SELECT max(measured_end) FROM outcome_statements WHERE template_id = ? AND metric = ?').pluck().get(templateId, metric) as number | null) ?? null;
  }

  /** Walks the chain as the cloud would and names the first statement removed or edited (see hash-chain.ts). */
  verify(): LedgerCheck {
    return this.#chain.verify();
  }
}
