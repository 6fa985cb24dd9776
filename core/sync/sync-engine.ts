// The sync with the cloud (issue 8 item 5): sends the usage records and outcome statements the cloud
// has not acknowledged, one batch of at most 500 in flight per stream, in sequence order, each
// under a batch id that is its idempotency key; then refreshes licences and the catalogue. A lost
// answer means the same batch again under the same id (written down before it is sent, so a restart
// resends it too); a 409 gap means reading where the cloud stands and resending from there; a 4xx
// other than 408/429 is a refusal for good — the batch is kept aside and shown, not retried by itself
// (401 and 403 are about this PC, not the batch: its clock or activation, said in plain words and
// retried) until the user chooses "Try again" (`retryRefused`), or once after the app was updated
// when the cloud gave no specific reason ('other': a newer app may send what it accepts). After a
// failure the next try waits with exponential back-off and full jitter (2 s to 15 min) and at least
// the cloud's Retry-After; when healthy it syncs every 15 minutes. Licences and the catalogue are
// refreshed on every attempt, even when a stream could not be sent.
import crypto from 'node:crypto';
import { BatchAnswerSchema, StreamStateSchema, USAGE_STREAMS, type ChainedRecord, type UsageStream } from '../../shared/cloud/index.ts';
import { isRetryableStatus } from '../../shared/cloud/errors.ts';
import type { SyncStatus } from '../../shared/contract/licence-calls.ts';
import { AppError } from '../../shared/errors.ts';
import { translate, type Locale } from '../../shared/i18n/index.ts';
import { cloudErrorOf } from '../cloud/cloud-error.ts';
import { CloudUnreachable, type CloudResponse, type CloudTransport } from '../cloud/transport.ts';
import type { Logger } from '../host.ts';
import { OutcomeLedger } from '../licensing/outcome-ledger.ts';
import { UsageLedger } from '../licensing/usage-ledger.ts';
import type { Db } from '../storage/database.ts';
import { parseRetryAfter, PERIODIC_SYNC_MS, retryDelay } from './backoff.ts';
import { SyncStore, type InFlightBatch, type RefusedBatch, type StoredMessage } from './sync-store.ts';
import { APP_VERSION } from '../version.ts';

export interface SyncTasks {
  /** Closes the periods due (metering, outcome statements) before they are sent. */
  record?: () => void | Promise<void>;
  refreshLicences?: () => Promise<void>;
  refreshCatalogue?: () => Promise<void>;
}

export interface SyncEngineOptions {
  db: Db;
  transport: CloudTransport;
  isActivated: () => boolean;
  logger: Logger;
  now?: () => number;
  /** In [0, 1): the back-off's jitter (tests inject a sequence). */
  random?: () => number;
  tasks?: SyncTasks;
  /** Each answer's signed server time (`server-time.<payload>.<signature>`), for the licence time floor. */
  acceptServerTime?: (line: string) => void;
  /** Called with the status whenever it changes (the sync.statusChanged event), in `eventLocale`. */
  emitStatus?: (status: SyncStatus) => void;
  eventLocale?: () => Locale;
  /** The app's version, kept with a refusal (a refusal of an older version is tried once more). */
  appVersion?: string;
}

type StreamResult = { ok: true } | { ok: false; error: StoredMessage; retryAfterMs?: number };

const PATHS: Record<UsageStream, string> = { usage: '/v1/sync/usage', outcomes: '/v1/sync/outcomes' };
/** Batches (and gap answers) per stream per attempt: enough for a long time offline, never a loop. */
const MAX_ROUNDS_PER_STREAM = 200;
const REQUEST_TIMEOUT_MS = 30_000;

function machineRefusal(code: string, message: string, status: number): StoredMessage {
  const detail = message.slice(0, 300);
  return code === 'clock_skew' ? { key: 'sync.error.clock', params: { detail } } : { key: 'sync.error.machineRefused', params: { status, detail } };
}

/**
 * A refresh's failure as one sentence: no answer from the cloud as such; an AppError (already a
 * sentence with the next step, in the user's language when read) as it is; anything else inside the
 * task's own sentence.
 */
function taskFailure(error: unknown, key: 'sync.error.licences' | 'sync.error.catalogue'): StoredMessage {
  const unreachable = error instanceof CloudUnreachable ? error : error instanceof AppError && error.cause instanceof CloudUnreachable ? error.cause : undefined;
  if (unreachable) return { key: 'sync.error.unreachable', params: { url: unreachable.url } };
  if (error instanceof AppError) return { key: error.key, params: error.params };
  return { key, params: { detail: detailOf(error).replace(/[.。\s]+$/u, '') } };
}

const detailOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 300);

export class SyncEngine {
  readonly #options: SyncEngineOptions;
  readonly #store: SyncStore;
  readonly #ledgers: { usage: UsageLedger; outcomes: OutcomeLedger };
  readonly #now: () => number;
  readonly #random: () => number;
  readonly #appVersion: string;
  #running: Promise<void> | null = null;
  #timer: NodeJS.Timeout | null = null;
  #started = false;

  constructor(options: SyncEngineOptions) {
    this.#options = options;
    this.#store = new SyncStore(options.db, options.logger);
    this.#ledgers = { usage: new UsageLedger(options.db), outcomes: new OutcomeLedger(options.db) };
    this.#now = options.now ?? Date.now;
    this.#random = options.random ?? Math.random;
    this.#appVersion = options.appVersion ?? APP_VERSION;
  }

  /** The highest sequence of a stream the cloud has acknowledged. */
  acknowledged(stream: UsageStream): number {
    return this.#store.stream(stream).acked;
  }

  /** Starts the timers: resumes pending work now (unless a back-off is still running), then every 15 min. */
  start(): void {
    this.#started = true;
    this.#schedule();
  }

  stop(): void {
    this.#started = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** Stops the timers and waits for an attempt under way (before the database closes). */
  async close(): Promise<void> {
    this.stop();
    await this.#running?.catch(() => {});
  }

  /** Syncs now; resolves when the attempt is over (joins the one under way, if any). */
  async syncNow(): Promise<void> {
    if (!this.#running) {
      this.#running = this.#attempt().finally(() => {
        this.#running = null;
        this.#emit();
        this.#schedule();
      });
      this.#emit();
    }
    return this.#running;
  }

  /**
   * "Try again" on a batch the cloud refused: clears the refusal and sends the same batch (same id)
   * at once, after an attempt under way. Resolves when that sync is over; nothing to do without a refusal.
   */
  async retryRefused(stream: UsageStream): Promise<void> {
    await this.#running?.catch(() => {});
    const refused = this.#store.stream(stream).refused;
    if (!refused) return;
    this.#options.logger.info('sync: a refused batch is sent again', { stream, batchId: refused.batchId });
    this.#store.retryRefused(stream);
    await this.syncNow();
  }

  /** Where the sync stands, the last error as a sentence in `locale`. */
  status(locale: Locale): SyncStatus {
    const attempt = this.#store.attempt();
    const marks = Object.fromEntries(USAGE_STREAMS.map((stream) => [stream, this.#store.stream(stream)])) as Record<UsageStream, ReturnType<SyncStore['stream']>>;
    const refused = USAGE_STREAMS.flatMap((stream) => {
      const batch = marks[stream].refused;
      return batch ? [{ stream, batchId: batch.batchId, at: batch.at, reason: this.#render(locale, batch.reason) }] : [];
    });
    const activated = this.#options.isActivated();
    return {
      state: !activated ? 'notActivated' : this.#running ? 'syncing' : refused.length > 0 ? 'refused' : attempt.failures > 0 ? 'waiting' : 'idle',
      lastSyncAt: attempt.lastSyncAt,
      lastAttemptAt: attempt.lastAttemptAt,
      nextTryAt: activated ? attempt.nextTryAt : null,
      pending: {
        usage: Math.max(0, this.#ledgers.usage.head().sequence - marks.usage.acked),
        outcomes: Math.max(0, this.#ledgers.outcomes.head().sequence - marks.outcomes.acked),
      },
      lastError: attempt.lastError ? this.#render(locale, attempt.lastError) : null,
      refused,
    };
  }

  /** Whether a stream that is not blocked by a refusal has records the cloud has not acknowledged. */
  #hasWork(): boolean {
    if (!this.#options.isActivated()) return false;
    return USAGE_STREAMS.some((stream) => {
      const mark = this.#store.stream(stream);
      return (mark.refused === null || this.#retriesAfterUpdate(mark.refused)) && this.#ledgers[stream].head().sequence > mark.acked;
    });
  }

  /** A refusal without a specific reason, made by another app version: tried once more. */
  #retriesAfterUpdate(refused: RefusedBatch): boolean {
    return refused.reason.key === 'sync.refused.other' && refused.appVersion !== this.#appVersion;
  }

  #render(locale: Locale, message: StoredMessage): string {
    const params = { ...message.params };
    if (params.stream === 'usage' || params.stream === 'outcomes') params.stream = translate(locale, `sync.stream.${params.stream}`);
    return translate(locale, message.key, params);
  }

  #emit(): void {
    try {
      this.#options.emitStatus?.(this.status(this.#options.eventLocale?.() ?? 'zh-CN'));
    } catch (error) {
      this.#options.logger.warn('sync: could not announce the status', { error: detailOf(error) });
    }
  }

  #schedule(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (!this.#started || this.#running) return;
    let due: number;
    try {
      due = this.#due();
    } catch (error) {
      // The database went away under the timer (a restore): the next start schedules again.
      this.#options.logger.warn('sync: cannot plan the next try', { error: detailOf(error) });
      return;
    }
    const delay = Math.min(Math.max(0, due - this.#now()), 2 ** 31 - 1);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.syncNow().catch((error: unknown) => this.#options.logger.error('sync: attempt failed', { error: detailOf(error) }));
    }, delay);
    this.#timer.unref();
  }

  #due(): number {
    const attempt = this.#store.attempt();
    // After a failure, the back-off decides; records waiting (left from before a restart, or from
    // before activation) go now; otherwise the periodic sync.
    if (attempt.failures > 0 && attempt.nextTryAt !== null) return attempt.nextTryAt;
    return this.#hasWork() ? this.#now() : (attempt.nextTryAt ?? this.#now() + PERIODIC_SYNC_MS);
  }

  async #attempt(): Promise<void> {
    const before = this.#store.attempt();
    const now = this.#now();
    // Periods close on this PC whether or not it can reach the cloud.
    try {
      await this.#options.tasks?.record?.();
    } catch (error) {
      this.#options.logger.error('sync: closing the due periods failed', { error: detailOf(error) });
    }
    if (!this.#options.isActivated()) {
      this.#store.saveAttempt({ ...before, nextTryAt: now + PERIODIC_SYNC_MS });
      return;
    }
    let failure: StoredMessage | null = null;
    let retryAfterMs: number | undefined;
    for (const stream of USAGE_STREAMS) {
      const result = await this.#sendStream(stream).catch((error: unknown): StreamResult => {
        this.#options.logger.error('sync: sending failed', { stream, error: detailOf(error) });
        return { ok: false, error: { key: 'sync.error.internal', params: { detail: detailOf(error) } } };
      });
      if (!result.ok) {
        failure = result.error;
        retryAfterMs = result.retryAfterMs;
        break;
      }
    }
    // Licences and the catalogue are refreshed whatever became of the streams; the first failure is the one shown.
    const taskFailure = await this.#runTasks();
    failure ??= taskFailure;
    const after = this.#now();
    const failures = failure ? before.failures + 1 : 0;
    this.#store.saveAttempt({
      lastSyncAt: failure ? before.lastSyncAt : after,
      lastAttemptAt: now,
      nextTryAt: failure ? after + retryDelay(failures, this.#random, retryAfterMs) : after + PERIODIC_SYNC_MS,
      failures,
      lastError: failure,
    });
  }

  async #runTasks(): Promise<StoredMessage | null> {
    const tasks = this.#options.tasks ?? {};
    let failure: StoredMessage | null = null;
    for (const [task, key] of [
      [tasks.refreshLicences, 'sync.error.licences'],
      [tasks.refreshCatalogue, 'sync.error.catalogue'],
    ] as const) {
      if (!task) continue;
      try {
        await task();
      } catch (error) {
        this.#options.logger.warn('sync: a refresh failed', { key, error: detailOf(error) });
        failure ??= taskFailure(error, key);
      }
    }
    return failure;
  }

  /** Sends a stream's unacknowledged records, batch after batch, until none is left or a failure. */
  async #sendStream(stream: UsageStream): Promise<StreamResult> {
    const ledger = this.#ledgers[stream];
    const before = this.#store.stream(stream).refused;
    if (before && this.#retriesAfterUpdate(before)) {
      this.#options.logger.info('sync: a batch refused by another app version is sent again', { stream, batchId: before.batchId, refusedBy: before.appVersion });
      this.#store.retryRefused(stream);
    }
    for (let round = 0; round < MAX_ROUNDS_PER_STREAM; round++) {
      const mark = this.#store.stream(stream);
      if (mark.refused) return { ok: true };
      let batch: InFlightBatch;
      let records: ChainedRecord[];
      if (mark.inFlight) {
        batch = mark.inFlight;
        records = ledger.pending(batch.first - 1, batch.last - batch.first + 1);
        if (records.length === 0) {
          this.#store.acknowledge(stream, mark.acked);
          continue;
        }
      } else {
        records = ledger.pending(mark.acked);
        if (records.length === 0) return { ok: true };
        batch = { batchId: `${stream}-${crypto.randomBytes(16).toString('base64url')}`, first: records[0]!.sequence, last: records.at(-1)!.sequence };
        this.#store.setInFlight(stream, batch);
      }

      let response: CloudResponse;
      try {
        response = await this.#options.transport.request({ method: 'POST', path: PATHS[stream], body: { batchId: batch.batchId, records }, signed: true, timeoutMs: REQUEST_TIMEOUT_MS });
      } catch (error) {
        if (error instanceof CloudUnreachable) return { ok: false, error: { key: 'sync.error.unreachable', params: { url: error.url } } };
        throw error;
      }

      if (response.status === 200) {
        const answer = BatchAnswerSchema.safeParse(response.body);
        if (!answer.success || answer.data.batchId !== batch.batchId) return { ok: false, error: { key: 'sync.error.badAnswer', params: { path: PATHS[stream] } } };
        this.#acceptServerTime(answer.data.serverTime);
        if (answer.data.disputed.length > 0) this.#store.recordDisputes(answer.data.disputed);
        this.#store.acknowledge(stream, answer.data.highestSequence);
        continue;
      }
      const { code, message } = cloudErrorOf(response);
      if (response.status === 409 && (code === 'sequence_gap' || code === 'idempotency_conflict')) {
        const state = await this.#streamState(stream);
        if (!state.ok) return state;
        // The cloud wants records this PC no longer has: one was removed here.
        if (state.highest === mark.acked && records[0]!.sequence > state.highest + 1) {
          this.#refuse(stream, batch, response.status, 'sync.refused.chainBroken', message);
          return { ok: true };
        }
        this.#store.acknowledge(stream, state.highest);
        continue;
      }
      // Not about the batch but about this PC (its clock, its key, its activation): nothing is set
      // aside; the sync says what to fix and tries again later.
      if (response.status === 401 || response.status === 403) return { ok: false, error: machineRefusal(code, message, response.status) };
      if (isRetryableStatus(response.status)) {
        return {
          ok: false,
          error: { key: 'sync.error.server', params: { stream, status: response.status } },
          retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), this.#now()),
        };
      }
      this.#refuse(stream, batch, response.status, code === 'chain_broken' ? 'sync.refused.chainBroken' : 'sync.refused.other', message);
      return { ok: true };
    }
    return { ok: true };
  }

  #refuse(stream: UsageStream, batch: InFlightBatch, status: number, key: 'sync.refused.chainBroken' | 'sync.refused.other', detail: string): void {
    this.#options.logger.warn('sync: the cloud refused a batch for good', { stream, batchId: batch.batchId, status, detail });
    this.#store.refuse(
      stream,
      batch,
      this.#now(),
      { key, params: { stream, first: batch.first, last: batch.last, batchId: batch.batchId, status, detail: detail.slice(0, 300) } },
      this.#appVersion,
    );
  }

  async #streamState(stream: UsageStream): Promise<{ ok: true; highest: number } | Extract<StreamResult, { ok: false }>> {
    let response: CloudResponse;
    try {
      response = await this.#options.transport.request({ method: 'GET', path: `${PATHS[stream]}/state`, signed: true, timeoutMs: REQUEST_TIMEOUT_MS });
    } catch (error) {
      if (error instanceof CloudUnreachable) return { ok: false, error: { key: 'sync.error.unreachable', params: { url: error.url } } };
      throw error;
    }
    const state = StreamStateSchema.safeParse(response.body);
    if (response.status === 401 || response.status === 403) {
      const { code, message } = cloudErrorOf(response);
      return { ok: false, error: machineRefusal(code, message, response.status) };
    }
    if (response.status !== 200 || !state.success) {
      return {
        ok: false,
        error: response.status === 200 ? { key: 'sync.error.badAnswer', params: { path: `${PATHS[stream]}/state` } } : { key: 'sync.error.server', params: { stream, status: response.status } },
        retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), this.#now()),
      };
    }
    this.#acceptServerTime(state.data.serverTime);
    return { ok: true, highest: state.data.highestSequence };
  }

  #acceptServerTime(line: string): void {
    try {
      this.#options.acceptServerTime?.(line);
    } catch (error) {
      this.#options.logger.warn('sync: the server time was not accepted', { error: detailOf(error) });
    }
  }
}
