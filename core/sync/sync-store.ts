// The sync's own state in SQLite (tables in sync-schema.ts). The outbox of a stream is its ledger's
// records above the sequence the cloud acknowledged; that mark moves only on the cloud's word (a
// batch answer or a stream state), so a lost answer means the same records go again. A batch in
// flight is written down before it is sent, so after a restart it goes again under the same id.
// The app version that met a refusal is a settings row beside it (`sync.refusedBy.<stream>`).
import { z } from 'zod';
import type { UsageStream } from '../../shared/cloud/index.ts';
import type { MessageKey } from '../../shared/i18n/index.ts';
import { silentLogger, type Logger } from '../host.ts';
import type { Db } from '../storage/database.ts';
import { Settings } from '../storage/settings.ts';

export type MessageParams = Record<string, string | number>;

export interface StoredMessage {
  key: MessageKey;
  params: MessageParams;
}

export interface InFlightBatch {
  batchId: string;
  first: number;
  last: number;
}

export interface RefusedBatch extends InFlightBatch {
  stream: UsageStream;
  at: number;
  reason: StoredMessage;
  /** The app version that sent it; null for a refusal kept before versions were. */
  appVersion: string | null;
}

export interface StreamMark {
  acked: number;
  inFlight: InFlightBatch | null;
  refused: RefusedBatch | null;
}

export interface AttemptState {
  lastSyncAt: number | null;
  lastAttemptAt: number | null;
  nextTryAt: number | null;
  failures: number;
  lastError: StoredMessage | null;
}

interface StreamRow {
  acked_sequence: number;
  inflight_batch_id: string | null;
  inflight_first: number | null;
  inflight_last: number | null;
  refused_batch_id: string | null;
  refused_first: number | null;
  refused_last: number | null;
  refused_at: number | null;
  refused_key: string | null;
  refused_params: string | null;
}

const parseParams = (text: string | null): MessageParams => {
  try {
    return text ? (JSON.parse(text) as MessageParams) : {};
  } catch {
    return {};
  }
};

const refusedByKey = (stream: UsageStream) => `sync.refusedBy.${stream}`;
const AppVersionSchema = z.string().nullable();

export class SyncStore {
  readonly #db: Db;
  readonly #settings: Settings;

  constructor(db: Db, logger: Logger = silentLogger) {
    this.#db = db;
    this.#settings = new Settings(db, logger);
    db.prepare("INSERT OR IGNORE INTO sync_streams (stream) VALUES ('usage'), ('outcomes')").run();
    db.prepare('INSERT OR IGNORE INTO sync_state (id, failures) VALUES (1, 0)').run();
  }

  stream(stream: UsageStream): StreamMark {
    const row = this.#db.prepare('SELECT * FROM sync_streams WHERE stream = ?').get(stream) as StreamRow;
    return {
      acked: row.acked_sequence,
      inFlight: row.inflight_batch_id === null ? null : { batchId: row.inflight_batch_id, first: row.inflight_first ?? 0, last: row.inflight_last ?? 0 },
      refused:
        row.refused_batch_id === null
          ? null
          : {
              stream,
              batchId: row.refused_batch_id,
              first: row.refused_first ?? 0,
              last: row.refused_last ?? 0,
              at: row.refused_at ?? 0,
              reason: { key: (row.refused_key ?? 'sync.error.internal') as MessageKey, params: parseParams(row.refused_params) },
              appVersion: this.#settings.read(refusedByKey(stream), AppVersionSchema, null),
            },
    };
  }

  /** Writes down the batch about to be sent (before it is sent). */
  setInFlight(stream: UsageStream, batch: InFlightBatch): void {
    this.#db.prepare('UPDATE sync_streams SET inflight_batch_id = ?, inflight_first = ?, inflight_last = ? WHERE stream = ?').run(batch.batchId, batch.first, batch.last, stream);
  }

  /** The cloud's word: it holds every record up to `sequence`. Clears the batch in flight. */
  acknowledge(stream: UsageStream, sequence: number): void {
    this.#db
      .prepare('UPDATE sync_streams SET acked_sequence = ?, inflight_batch_id = NULL, inflight_first = NULL, inflight_last = NULL WHERE stream = ?')
      .run(Math.max(0, sequence), stream);
  }

  /** The cloud refused the batch: kept aside with the reason and the app version, not sent again by itself. */
  refuse(stream: UsageStream, batch: InFlightBatch, at: number, reason: StoredMessage, appVersion: string): void {
    this.#db.transaction(() => {
      this.#db
        .prepare(
          `UPDATE sync_streams SET refused_batch_id = ?, refused_first = ?, refused_last = ?, refused_at = ?, refused_key = ?, refused_params = ?,
             inflight_batch_id = NULL, inflight_first = NULL, inflight_last = NULL WHERE stream = ?`,
        )
        .run(batch.batchId, batch.first, batch.last, at, reason.key, JSON.stringify(reason.params), stream);
      this.#settings.write(refusedByKey(stream), AppVersionSchema, appVersion);
    }).immediate();
  }

  /** Clears a refusal and puts its batch back in flight, same id and records: the next sync sends it again. */
  retryRefused(stream: UsageStream): void {
    this.#db
      .prepare(
        `UPDATE sync_streams SET inflight_batch_id = refused_batch_id, inflight_first = refused_first, inflight_last = refused_last,
           refused_batch_id = NULL, refused_first = NULL, refused_last = NULL, refused_at = NULL, refused_key = NULL, refused_params = NULL
         WHERE stream = ? AND refused_batch_id IS NOT NULL`,
      )
      .run(stream);
  }

  attempt(): AttemptState {
    const row = this.#db.prepare('SELECT * FROM sync_state WHERE id = 1').get() as {
      last_sync_at: number | null;
      last_attempt_at: number | null;
      next_try_at: number | null;
      failures: number;
      last_error_key: string | null;
      last_error_params: string | null;
    };
    return {
      lastSyncAt: row.last_sync_at,
      lastAttemptAt: row.last_attempt_at,
      nextTryAt: row.next_try_at,
      failures: row.failures,
      lastError: row.last_error_key === null ? null : { key: row.last_error_key as MessageKey, params: parseParams(row.last_error_params) },
    };
  }

  saveAttempt(state: AttemptState): void {
    this.#db
      .prepare('UPDATE sync_state SET last_sync_at = ?, last_attempt_at = ?, next_try_at = ?, failures = ?, last_error_key = ?, last_error_params = ? WHERE id = 1')
      .run(state.lastSyncAt, state.lastAttemptAt, state.nextTryAt, state.failures, state.lastError?.key ?? null, state.lastError ? JSON.stringify(state.lastError.params) : null);
  }

  /** Outcome statements the cloud holds but disputes. */
  recordDisputes(disputes: readonly { recordId: string; reason: string }[]): void {
    const insert = this.#db.prepare('INSERT OR REPLACE INTO outcome_disputes (record_id, reason) VALUES (?, ?)');
    for (const dispute of disputes) insert.run(dispute.recordId, dispute.reason);
  }

  disputes(): Map<string, string> {
    return new Map(this.#db.prepare('SELECT record_id, reason FROM outcome_disputes').raw().all() as [string, string][]);
  }
}
