// The app's offline answer to "what may this licence do now?" (issue 8 item 2): verifies a licence
// line against the pinned marketplace keys, checks it is bound to this PC, and places it on the
// time floor. Pure and deterministic — keys, machine, floor and clock reading come in as arguments.
//
// This module only answers questions. Whatever it says, collection, the historian, alarms and
// reading or exporting one's own data go on; a `locked` licence only makes premium template
// features read-only (COMMERCE.md, "States").
import {
  checkSignedDocument,
  LicencePayloadSchema,
  type LicencePayload,
  type MachineFingerprint,
} from '../../shared/cloud/index.ts';
import type { MessageKey } from '../../shared/i18n/index.ts';
import { trustedKeyChecker, type TrustedKey } from '../templates/index.ts';
import type { ClockReading, TimeCheck, TimeFloor } from './time-floor.ts';
import { DAY_MS } from '../kpis/calendar.ts';


/** A lease ending within this long is renewed quietly at the next sync, with a hint to connect. */
export const RENEW_SOON_MS = 7 * DAY_MS;
/** Unreported usage from this share of the offline cap on is announced, ahead of the lock at the cap. */
export const CREDIT_WARNING_SHARE = 0.8;

/** This PC as the licence must name it. */
export interface ThisMachine {
  id: string;
  /** The machine's Ed25519 public key, raw base64url. */
  publicKey: string;
  fingerprint: MachineFingerprint;
}

/** Usage recorded and not yet acknowledged by the cloud (pay-after-use). */
export interface UnreportedUsage {
  units: number;
}

export interface LicenceStateInput {
  /** The `licence.<payload>.<signature>` line as stored or pasted. */
  line: string;
  /** The marketplace keys this app pins (the current and the next one). */
  trustedKeys: readonly TrustedKey[];
  machine: ThisMachine;
  floor: TimeFloor;
  reading: ClockReading;
  unreported?: UnreportedUsage;
}

/** A sentence for the user: a key in shared/i18n and its parameters. */
export interface LicenceMessage {
  key: MessageKey;
  params: Record<string, string | number>;
}

/** Why a verified licence gives no premium features now. */
export type LockReason =
  | 'expired'
  | 'grace_over'
  | 'credit_exhausted'
  | 'clock_suspect'
  /** Verified bad: the signature does not match the content (an edited file). */
  | 'tampered'
  /** Verified bad: another kind of signed document, or content this app does not understand. */
  | 'wrong_document'
  /** Verified bad: a genuine licence of another PC. */
  | 'other_machine';

/** Why a line cannot be verified at all — kept apart from "verified bad". */
export type InvalidReason = 'malformed' | 'unknown_key';

interface Verified {
  licence: LicencePayload;
  time: TimeCheck;
  /** Shown beside the state while the wall clock is set back: validity is counted from the floor. */
  clockWarning?: LicenceMessage;
  message: LicenceMessage;
}

export type LicenceState =
  | ({ state: 'trial'; daysLeft: number } & Verified)
  | ({ state: 'active' } & Verified)
  /** The lease (or the licence itself, `licenceEnds`) ends within a week. */
  | ({ state: 'renewSoon'; daysLeft: number; licenceEnds: boolean } & Verified)
  /** The lease ended offline: everything still works for `daysLeft` days, with a banner. */
  | ({ state: 'grace'; daysLeft: number } & Verified)
  | ({ state: 'locked'; reason: LockReason; licence?: LicencePayload; time?: TimeCheck; clockWarning?: LicenceMessage; message: LicenceMessage })
  | { state: 'invalid'; reason: InvalidReason; message: LicenceMessage };

/**
 * The share of a licence's fingerprint components this PC still has: matched "most of them", so a
 * new network card is not a new PC (the cloud's rule: more than half).
 */
export function fingerprintLikeness(licensed: MachineFingerprint, here: MachineFingerprint): number {
  const names = Object.keys(licensed.components);
  if (names.length === 0) return 1;
  return names.filter((name) => here.components[name] === licensed.components[name]).length / names.length;
}

/** Whether a licence's machine is this PC: same id and key, and most of the same parts. */
export function isThisMachine(licensed: LicencePayload['machine'], here: ThisMachine): boolean {
  if (licensed.id !== here.id || licensed.publicKey !== here.publicKey) return false;
  return licensed.fingerprint.hash === here.fingerprint.hash || fingerprintLikeness(licensed.fingerprint, here.fingerprint) > 0.5;
}

const daysUntil = (end: number, now: number) => Math.max(1, Math.ceil((end - now) / DAY_MS));
const isoDate = (time: number) => new Date(time).toISOString().slice(0, 10);

/**
 * The licence's state now, with the sentence to show.
 * @example licenceState({ line, trustedKeys, machine, floor, reading: { wallClock: Date.now(), monotonic: performance.now() } })
 */
export function licenceState(input: LicenceStateInput): LicenceState {
  const check = checkSignedDocument(input.line, 'licence', LicencePayloadSchema, trustedKeyChecker(input.trustedKeys));
  if (check.status === 'cannot_verify') {
    const key: MessageKey = check.reason === 'unknown_key' ? 'licence.invalid.unknownKey' : 'licence.invalid.malformed';
    return { state: 'invalid', reason: check.reason, message: { key, params: {} } };
  }
  if (check.status === 'bad') {
    const reason: LockReason = check.reason === 'signature' ? 'tampered' : 'wrong_document';
    return { state: 'locked', reason, message: { key: reason === 'tampered' ? 'licence.locked.tampered' : 'licence.locked.wrongDocument', params: {} } };
  }
  const licence = check.payload;
  if (!isThisMachine(licence.machine, input.machine)) {
    return { state: 'locked', reason: 'other_machine', licence, message: { key: 'licence.locked.otherMachine', params: {} } };
  }

  // A verified licence's own times are trusted: the clock cannot be below when it was issued.
  const time = input.floor.check(input.reading, [licence.issuedAt, licence.serverTime]);
  const { now } = time;
  const clockWarning: LicenceMessage | undefined = time.suspect
    ? { key: 'licence.clockSuspect', params: { date: isoDate(time.floor) } }
    : undefined;
  const verified = { licence, time, ...(clockWarning ? { clockWarning } : {}) };
  const locked = (reason: LockReason, key: MessageKey, params: Record<string, string | number>): LicenceState => ({
    state: 'locked',
    reason,
    ...verified,
    message: { key, params },
  });

  if (licence.validUntil !== null && now >= licence.validUntil) {
    return locked('expired', licence.plan === 'trial' ? 'licence.locked.trialEnded' : 'licence.locked.expired', { date: isoDate(licence.validUntil) });
  }
  const cap = licence.limits.maxUnreportedUnits;
  if (cap !== undefined && input.unreported && input.unreported.units >= cap) {
    return locked('credit_exhausted', 'licence.locked.creditExhausted', { units: input.unreported.units, limit: cap });
  }
  // The lease, and never longer than the most days offline the licence allows since the cloud signed it.
  const leaseEnd = Math.min(licence.leaseExpiresAt, licence.serverTime + licence.limits.maxOfflineDays * DAY_MS);
  if (now >= leaseEnd) {
    const graceEnd = leaseEnd + licence.graceMs;
    if (now >= graceEnd) return locked('grace_over', 'licence.locked.graceOver', { date: isoDate(licence.serverTime) });
    // With the clock set back the floor only counts time the app ran, so real time may be further
    // on than it shows: no grace is granted on a suspect clock.
    if (time.suspect) return locked('clock_suspect', 'licence.locked.clockSuspect', { date: isoDate(time.floor) });
    const daysLeft = daysUntil(graceEnd, now);
    return { state: 'grace', daysLeft, ...verified, message: { key: 'licence.state.grace', params: { days: daysLeft } } };
  }
  if (cap !== undefined && input.unreported && input.unreported.units >= cap * CREDIT_WARNING_SHARE) {
    const daysLeft = daysUntil(leaseEnd, now);
    const message: LicenceMessage = { key: 'licensing.state.creditLow', params: { units: input.unreported.units, limit: cap } };
    return { state: 'renewSoon', daysLeft, licenceEnds: false, ...verified, message };
  }
  if (licence.plan === 'trial') {
    const daysLeft = daysUntil(licence.validUntil ?? leaseEnd, now);
    return { state: 'trial', daysLeft, ...verified, message: { key: 'licence.state.trial', params: { days: daysLeft } } };
  }
  if (leaseEnd - now <= RENEW_SOON_MS) {
    const daysLeft = daysUntil(leaseEnd, now);
    const licenceEnds = licence.validUntil !== null && licence.validUntil <= leaseEnd;
    const key: MessageKey = licenceEnds ? 'licence.state.endingSoon' : 'licence.state.renewSoon';
    return { state: 'renewSoon', daysLeft, licenceEnds, ...verified, message: { key, params: { days: daysLeft } } };
  }
  return { state: 'active', ...verified, message: { key: 'licence.state.active', params: {} } };
}
