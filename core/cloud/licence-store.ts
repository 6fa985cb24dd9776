// The licences this PC holds (issue 8 item 2): lines refreshed from the cloud at each sync or pasted
// by hand (air-gapped plants), kept as signed and verified again at every read against the pinned
// marketplace keys, this PC and the time floor. The floor is persisted and advanced every minute
// and at each read, so a clock set back is caught across restarts; the cloud's signed time resets it.
//
// Whatever a licence says, data collection, the historian and alarms run on: this store only
// answers whether a template's premium features may be used.
import { z } from 'zod';
import {
  checkSignedDocument,
  LicenceRefreshResponseSchema,
  parseSignedDocument,
  ServerTimePayloadSchema,
  type LicencePayload,
} from '../../shared/cloud/index.ts';
import type { TemplateLicence } from '../../shared/contract/licence-calls.ts';
import { AppError } from '../../shared/errors.ts';
import { translate, type Locale } from '../../shared/i18n/index.ts';
import type { Logger } from '../host.ts';
import { licenceState, type LicenceState, type ThisMachine } from '../licensing/licence-state.ts';
import { TimeFloor, type ClockReading } from '../licensing/time-floor.ts';
import type { Db } from '../storage/database.ts';
import type { Settings } from '../storage/settings.ts';
import { trustedKeyChecker } from '../templates/index.ts';
import { cloudErrorOf, unreachableError, type MachineIdentity } from './machine-identity.ts';
import { CloudUnreachable, type CloudResponse } from './transport.ts';

const FLOOR_KEY = 'licensing.timeFloor';
const FloorSchema = z.object({ v: z.literal(1), floor: z.number(), serverTime: z.number() });

/** How often the floor is advanced and the states looked at (a lease ends, a grace begins). */
export const LICENCE_CHECK_MS = 60_000;

const PREMIUM = new Set(['trial', 'active', 'renewSoon', 'grace']);
/** Which of a template's licences speaks for it: the one that gives the most. */
const RANK: Record<LicenceState['state'], number> = { active: 0, renewSoon: 1, trial: 2, grace: 3, locked: 4, invalid: 5 };

export interface LicenceStoreDeps {
  /** The database the core runs on now (it changes when a backup is restored). */
  db: () => Db;
  settings: () => Settings;
  identity: MachineIdentity;
  logger: Logger;
  /** The clocks now; tests move the wall clock. */
  clock?: () => ClockReading;
  /** Pay-after-use units recorded and not yet acknowledged by the cloud (the sync provides it). */
  unreported?: (templateId: string) => number;
  /** Licences were refreshed or imported, or a state changed: the templates concerned. */
  onChanged?: (templateIds: string[]) => void;
}

interface StoredLine {
  entitlement_id: string;
  template_id: string;
  line: string;
}

const realClock = (): ClockReading => ({ wallClock: Date.now(), monotonic: performance.now() });

/** A template with no licence on this PC, in plain words. */
export function noLicence(templateId: string, locale: Locale): TemplateLicence {
  return {
    templateId,
    state: 'none',
    plan: null,
    daysLeft: null,
    reason: null,
    message: translate(locale, 'licensing.state.none'),
    clockWarning: null,
    premium: false,
    entitlementId: null,
    validUntil: null,
    leaseExpiresAt: null,
    unreportedUnits: null,
    maxUnreportedUnits: null,
  };
}

/** A line not worth keeping: it cannot be verified, was edited, or is not for this PC (an expired one is kept: it says why it is locked). */
/** The saved floor trails the one in memory by at most this much. */
const FLOOR_SAVE_STEP_MS = 60_000;

const isRefused = (state: LicenceState) =>
  state.state === 'invalid' || (state.state === 'locked' && (state.reason === 'tampered' || state.reason === 'wrong_document' || state.reason === 'other_machine'));

const payloadOf = (state: LicenceState): LicencePayload | undefined => ('licence' in state ? state.licence : undefined);

export class LicenceStore {
  readonly #deps: LicenceStoreDeps;
  readonly #floor: TimeFloor;
  #prepared: { db: Db; statements: ReturnType<typeof prepare> } | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** The last states seen, to tell when one changed. */
  #seen = new Map<string, string>();
  /** The floor as last saved. */
  #savedFloor = 0;

  constructor(deps: LicenceStoreDeps) {
    this.#deps = deps;
    this.#floor = TimeFloor.fromJSON(deps.settings().read(FLOOR_KEY, FloorSchema.nullable(), null));
    // The app's own newest timestamps hold the floor up even if the saved floor was removed.
    this.#floor.raise(newestRecordedTime(deps.db()));
    this.#advance();
    this.#saveFloor();
    this.#seen = this.#signatures();
  }

  /** The statements on the database of the moment. */
  get #statements(): ReturnType<typeof prepare> {
    const db = this.#deps.db();
    if (this.#prepared?.db !== db) this.#prepared = { db, statements: prepare(db) };
    return this.#prepared.statements;
  }

  /** Advances the floor every minute and tells when a state changed. */
  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => this.checkForChanges(), LICENCE_CHECK_MS);
    this.#timer.unref();
  }

  close(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#advance();
    this.#saveFloor();
  }

  /**
   * The floor moved on with the clock; returns the reading to judge by. Saved when it moved a minute
   * past the last save (reads happen per dashboard and call: they must not write each time).
   */
  #advance(): ClockReading {
    const reading = (this.#deps.clock ?? realClock)();
    this.#floor.advance(reading);
    if (this.#floor.floorAt(reading.monotonic) - this.#savedFloor >= FLOOR_SAVE_STEP_MS) this.#saveFloor();
    return reading;
  }

  #saveFloor(): void {
    try {
      this.#savedFloor = this.#floor.floorAt();
      this.#deps.settings().write(FLOOR_KEY, FloorSchema, this.#floor.toJSON());
    } catch (error) {
      // The floor in memory still holds for this run; a read-only database must not stop a read.
      this.#deps.logger.warn('cannot save the time floor', { error: String(error) });
    }
  }

  /** This PC as licences must name it; before activation (or on a copied folder) nobody's id. */
  #machine(): ThisMachine {
    return this.#deps.identity.thisMachine() ?? { id: '', publicKey: '', fingerprint: this.#deps.identity.fingerprint };
  }

  #stateOf(line: string, templateId: string, reading: ClockReading): LicenceState {
    const units = this.#deps.unreported?.(templateId) ?? 0;
    return licenceState({ line, trustedKeys: this.#deps.identity.trustedKeys(), machine: this.#machine(), floor: this.#floor, reading, unreported: { units } });
  }

  #view(templateId: string, state: LicenceState, locale: Locale): TemplateLicence {
    const licence = payloadOf(state);
    const clockWarning = 'clockWarning' in state && state.clockWarning ? translate(locale, state.clockWarning.key, state.clockWarning.params) : null;
    const unreported = licence?.limits.maxUnreportedUnits !== undefined ? (this.#deps.unreported?.(templateId) ?? 0) : null;
    return {
      templateId,
      state: state.state,
      plan: licence?.plan ?? null,
      daysLeft: 'daysLeft' in state ? state.daysLeft : null,
      reason: 'reason' in state ? state.reason : null,
      message: translate(locale, state.message.key, state.message.params),
      clockWarning,
      premium: PREMIUM.has(state.state),
      entitlementId: licence?.entitlementId ?? null,
      validUntil: licence?.validUntil ?? null,
      leaseExpiresAt: licence?.leaseExpiresAt ?? null,
      unreportedUnits: unreported,
      maxUnreportedUnits: licence?.limits.maxUnreportedUnits ?? null,
    };
  }

  /** The best of a template's lines, judged now. */
  #best(lines: readonly StoredLine[], reading: ClockReading): LicenceState | undefined {
    let best: LicenceState | undefined;
    for (const stored of lines) {
      const state = this.#stateOf(stored.line, stored.template_id, reading);
      if (!best || RANK[state.state] < RANK[best.state]) best = state;
    }
    return best;
  }

  /** A template's licence now, or null when this PC holds none for it. */
  licenceOf(templateId: string, locale: Locale = 'en'): TemplateLicence | null {
    const reading = this.#advance();
    const best = this.#best(this.#statements.ofTemplate.all(templateId), reading);
    return best ? this.#view(templateId, best, locale) : null;
  }

  /** Whether the template's premium features may be used now (trial, active, renew soon, grace). */
  premiumAllowed(templateId: string): boolean {
    return this.licenceOf(templateId)?.premium ?? false;
  }

  /** Every template this PC holds a licence for. */
  list(locale: Locale = 'en'): TemplateLicence[] {
    const reading = this.#advance();
    const byTemplate = new Map<string, StoredLine[]>();
    for (const stored of this.#statements.all.all()) byTemplate.set(stored.template_id, [...(byTemplate.get(stored.template_id) ?? []), stored]);
    return [...byTemplate].map(([templateId, lines]) => this.#view(templateId, this.#best(lines, reading)!, locale));
  }

  /** The floor's word on the clock: a sentence while it is set back, else null. */
  clockWarning(locale: Locale): string | null {
    const reading = this.#advance();
    const check = this.#floor.check(reading);
    return check.suspect ? translate(locale, 'licence.clockSuspect', { date: new Date(check.floor).toISOString().slice(0, 10) }) : null;
  }

  #signatures(): Map<string, string> {
    return new Map(this.list('en').map((licence) => [licence.templateId, `${licence.state}|${licence.daysLeft}|${licence.reason}`]));
  }

  /** Advances the floor and tells `onChanged` about templates whose state moved (run every minute). */
  checkForChanges(): void {
    // A key the keychain could not hand over (it did not answer in time, it was locked) is asked for again.
    if (this.#deps.identity.problem === 'licensing.cloud.keyUnreadable') {
      this.#deps.identity.reload().catch((error: unknown) => this.#deps.logger.warn('cannot read the machine key again', { error: String(error) }));
    }
    try {
      const now = this.#signatures();
      const changed = [...new Set([...now.keys(), ...this.#seen.keys()])].filter((templateId) => now.get(templateId) !== this.#seen.get(templateId));
      this.#seen = now;
      if (changed.length > 0) this.#deps.onChanged?.(changed);
    } catch (error) {
      this.#deps.logger.error('cannot check the licences', { error: String(error) });
    }
  }

  /**
   * Asks the cloud for this PC's licences (signed), keeps those that verify for this PC, drops the
   * ended ones, and resets the floor to the cloud's signed time.
   */
  async refresh(locale: Locale = 'en'): Promise<TemplateLicence[]> {
    const { identity, logger } = this.#deps;
    const problem = identity.problem;
    if (problem) throw new AppError(problem === 'licensing.cloud.notActivated' ? 'invalid_input' : 'forbidden', problem);
    await identity.refreshKeys();
    let response: CloudResponse;
    try {
      response = await identity.transport.request({ method: 'POST', path: '/v1/licences/refresh', body: { fingerprint: identity.fingerprint }, signed: true });
    } catch (error) {
      throw error instanceof CloudUnreachable ? unreachableError(error, identity.url ?? undefined) : error;
    }
    if (response.status !== 200) throw refreshRefusal(response);
    const bundle = LicenceRefreshResponseSchema.safeParse(response.body);
    if (!bundle.success) throw new AppError('unavailable', 'licensing.cloud.badAnswer', { params: { url: identity.url ?? '' } });
    identity.noteFingerprintAccepted();

    this.acceptServerTime(bundle.data.serverTime);
    const reading = (this.#deps.clock ?? realClock)();

    const changed = new Set<string>();
    const keep = this.#db().transaction(() => {
      for (const line of bundle.data.licences) {
        const templateId = templateOf(line);
        const state = this.#stateOf(line, templateId ?? '', reading);
        const licence = payloadOf(state);
        if (!licence || isRefused(state)) {
          logger.warn('a licence from the cloud does not verify for this PC; not kept', { state: state.state, reason: 'reason' in state ? state.reason : undefined });
          continue;
        }
        this.#statements.upsert.run(licence.entitlementId, licence.template.id, line.trim(), reading.wallClock);
        changed.add(licence.template.id);
      }
      for (const entitlementId of bundle.data.ended) {
        const stored = this.#statements.all.all().find((row) => row.entitlement_id === entitlementId);
        if (!stored) continue;
        this.#statements.remove.run(entitlementId);
        changed.add(stored.template_id);
      }
    });
    keep.immediate();
    logger.info('licences refreshed', { kept: bundle.data.licences.length, ended: bundle.data.ended.length });
    this.#announce(changed);
    return this.list(locale);
  }

  /**
   * Resets the clock floor to the cloud's signed time (`server-time.<payload>.<signature>`, as every
   * sync answer and GET /v1/time carry it) once it verifies for this PC; anything else is ignored.
   * @returns whether the floor was reset
   */
  acceptServerTime(document: string): boolean {
    const time = checkSignedDocument(document, 'server-time', ServerTimePayloadSchema, trustedKeyChecker(this.#deps.identity.trustedKeys()));
    const machineId = this.#deps.identity.thisMachine()?.id;
    if (time.status !== 'valid' || !machineId || time.payload.machineId !== machineId) {
      this.#deps.logger.warn('a signed server time does not verify for this PC; the clock floor is left as it was', { status: time.status });
      return false;
    }
    const accepted = this.#floor.acceptServerTime(time.payload.serverTime, (this.#deps.clock ?? realClock)().monotonic);
    if (accepted) this.#saveFloor();
    return accepted;
  }

  #db(): Db {
    return this.#deps.db();
  }

  #announce(changed: Set<string>): void {
    this.#seen = this.#signatures();
    if (changed.size > 0) this.#deps.onChanged?.([...changed]);
  }

  /**
   * Adds licence lines pasted by hand, one per line. Every line is verified first; when one is
   * refused (damaged, tampered, another PC's) nothing is kept and the sentence says which and why.
   */
  import(text: string, locale: Locale = 'en'): TemplateLicence[] {
    const lines = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line.startsWith('licence.'));
    if (lines.length === 0) throw new AppError('invalid_input', 'licensing.import.noLine');
    const reading = this.#advance();
    const accepted: { line: string; licence: LicencePayload }[] = [];
    lines.forEach((line, index) => {
      const state = this.#stateOf(line, templateOf(line) ?? '', reading);
      const licence = payloadOf(state);
      if (!licence || isRefused(state)) {
        throw new AppError('invalid_input', 'licensing.import.refused', {
          params: { line: index + 1, reason: translate(locale, state.message.key, state.message.params) },
          details: { line: index + 1, state: state.state, reason: 'reason' in state ? state.reason : null },
        });
      }
      accepted.push({ line, licence });
    });
    const changed = new Set<string>();
    this.#db().transaction(() => {
      for (const { line, licence } of accepted) {
        this.#statements.upsert.run(licence.entitlementId, licence.template.id, line, reading.wallClock);
        changed.add(licence.template.id);
      }
    }).immediate();
    this.#deps.logger.info('licences imported', { count: accepted.length });
    this.#announce(changed);
    return [...changed].map((templateId) => this.licenceOf(templateId, locale)!);
  }
}

/**
 * The newest time this app wrote down itself: the historian's rolled-up minutes, the last usage
 * record, the last sync. Tables not made yet count as nothing.
 */
function newestRecordedTime(db: Db): number {
  const queries = [
    'SELECT max(minute_done) FROM rollup_progress',
    'SELECT recorded_at FROM usage_records ORDER BY sequence DESC LIMIT 1',
    'SELECT max(last_sync_at, last_attempt_at) FROM sync_state',
  ];
  let newest = 0;
  for (const query of queries) {
    try {
      const value = db.prepare(query).pluck().get();
      if (typeof value === 'number' && Number.isFinite(value)) newest = Math.max(newest, value);
    } catch {
      // The table is not there (an older file in a test): nothing to learn from it.
    }
  }
  return newest;
}

function prepare(db: Db) {
  return {
    all: db.prepare<[], StoredLine>('SELECT entitlement_id, template_id, line FROM cloud_licences ORDER BY template_id, received_at, entitlement_id'),
    ofTemplate: db.prepare<[string], StoredLine>('SELECT entitlement_id, template_id, line FROM cloud_licences WHERE template_id = ? ORDER BY received_at, entitlement_id'),
    upsert: db.prepare(
      `INSERT INTO cloud_licences (entitlement_id, template_id, line, received_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (entitlement_id) DO UPDATE SET template_id = excluded.template_id, line = excluded.line, received_at = excluded.received_at`,
    ),
    remove: db.prepare('DELETE FROM cloud_licences WHERE entitlement_id = ?'),
  };
}

/** The template a line names, read without verifying (for the unreported-usage hook only). */
function templateOf(line: string): string | undefined {
  const id = (parseSignedDocument(line)?.payload as { template?: { id?: unknown } } | undefined)?.template?.id;
  return typeof id === 'string' ? id : undefined;
}

function refreshRefusal(response: CloudResponse): AppError {
  const cloud = cloudErrorOf(response);
  const details = (response.body as { error?: { details?: { reason?: unknown } } } | undefined)?.error?.details;
  if (response.status === 403 && details?.reason === 'fingerprint_mismatch') return new AppError('forbidden', 'licensing.cloud.fingerprintMismatch');
  if (cloud.code === 'clock_skew') return new AppError('invalid_input', 'licensing.cloud.clockSkew');
  if (response.status === 401) return new AppError('forbidden', 'licensing.cloud.revoked');
  return new AppError('unavailable', 'licensing.cloud.refreshRefused', { params: { status: response.status, reason: cloud.message } });
}
