import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
// The cloud's own signing: the licences here are signed exactly as the platform signs them.
import { generateSigningKey, Keyring, sha256Hex } from '../../cloud/crypto/keys.ts';
import { base64urlDecode, base64urlEncode, LICENCE_GRACE_MS, LICENCE_LEASE_MS, type LicencePayload, type MachineFingerprint } from '../../shared/cloud/index.ts';
import { translate } from '../../shared/i18n/index.ts';
import { licenceState, type LicenceState, type ThisMachine } from './licence-state.ts';
import { TimeFloor } from './time-floor.ts';

const DAY = 86_400_000;
const ISSUED = Date.UTC(2025, 2, 1, 8, 0, 0);

function fingerprint(parts: Record<string, string>): MachineFingerprint {
  const components = Object.fromEntries(Object.entries(parts).map(([part, value]) => [part, sha256Hex(`${part}:${value}`)]));
  return { hash: sha256Hex(JSON.stringify(components)), components };
}

function machine(seed: string, parts: Record<string, string> = { cpu: seed, board: seed, disk: seed, nic: seed }): ThisMachine {
  const { publicKey } = crypto.generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  return { id: `mch_${seed.replace(/[^0-9A-Za-z]/g, '')}000000000000`, publicKey: jwk.x!, fingerprint: fingerprint(parts) };
}

const marketplace = new Keyring(generateSigningKey());
const thisPc = machine('plant-a');

/** A licence payload as cloud/licences issues it, at `ISSUED`, for `thisPc`. */
function payload(overrides: Partial<Omit<LicencePayload, 'keyId'>> = {}): Omit<LicencePayload, 'keyId'> {
  return {
    v: 1,
    licenceId: 'lic_000000000001',
    entitlementId: 'ent_000000000001',
    organisationId: 'org_000000000001',
    machine: { id: thisPc.id, publicKey: thisPc.publicKey, fingerprint: thisPc.fingerprint },
    template: { id: 'acme.oee', planId: 'standard' },
    plan: 'subscription',
    features: ['reports'],
    limits: { maxOfflineDays: 30 },
    issuedAt: ISSUED,
    leaseExpiresAt: ISSUED + LICENCE_LEASE_MS,
    validUntil: null,
    graceMs: LICENCE_GRACE_MS,
    serverTime: ISSUED,
    usage: { highestUsageSequence: 0, highestOutcomeSequence: 0 },
    ...overrides,
  };
}

const sign = (content: Omit<LicencePayload, 'keyId'>, keys = marketplace) => keys.sign('licence', content);

/** The state at a wall-clock time, with a fresh floor (nothing seen before) unless one is given. */
function stateAt(line: string, wallClock: number, options: { floor?: TimeFloor; monotonic?: number; pc?: ThisMachine; keys?: Keyring; units?: number } = {}): LicenceState {
  return licenceState({
    line,
    trustedKeys: (options.keys ?? marketplace).publicKeys(),
    machine: options.pc ?? thisPc,
    floor: options.floor ?? new TimeFloor(),
    reading: { wallClock, ...(options.monotonic === undefined ? {} : { monotonic: options.monotonic }) },
    ...(options.units === undefined ? {} : { unreported: { units: options.units } }),
  });
}

describe('licence state', () => {
  it('is active well inside the lease, and renewSoon in its last week', () => {
    const line = sign(payload());
    expect(stateAt(line, ISSUED + 3 * DAY)).toMatchObject({ state: 'active', message: { key: 'licence.state.active' } });
    const late = stateAt(line, ISSUED + 25 * DAY);
    expect(late).toMatchObject({ state: 'renewSoon', daysLeft: 5, licenceEnds: false, message: { key: 'licence.state.renewSoon', params: { days: 5 } } });
    expect(translate('en', late.message.key, late.message.params)).toContain('within 5 day(s)');
    expect(translate('zh-CN', late.message.key, late.message.params)).toContain('5 天');
  });

  it('says the licence itself ends when its paid period, not the lease, runs out first', () => {
    const line = sign(payload({ validUntil: ISSUED + 20 * DAY, leaseExpiresAt: ISSUED + 20 * DAY }));
    expect(stateAt(line, ISSUED + 17 * DAY)).toMatchObject({ state: 'renewSoon', daysLeft: 3, licenceEnds: true, message: { key: 'licence.state.endingSoon' } });
    expect(stateAt(line, ISSUED + 20 * DAY)).toMatchObject({ state: 'locked', reason: 'expired', message: { key: 'licence.locked.expired', params: { date: '2025-03-21' } } });
  });

  it('counts a trial down and locks it when it ends', () => {
    const line = sign(payload({ plan: 'trial', validUntil: ISSUED + 14 * DAY, leaseExpiresAt: ISSUED + 14 * DAY }));
    expect(stateAt(line, ISSUED + 4 * DAY + 1000)).toMatchObject({ state: 'trial', daysLeft: 10, message: { key: 'licence.state.trial', params: { days: 10 } } });
    expect(stateAt(line, ISSUED + 14 * DAY)).toMatchObject({ state: 'locked', reason: 'expired', message: { key: 'licence.locked.trialEnded' } });
  });

  it('gives a grace countdown after the lease ends offline, then locks', () => {
    const line = sign(payload());
    const leaseEnd = ISSUED + LICENCE_LEASE_MS;
    expect(stateAt(line, leaseEnd)).toMatchObject({ state: 'grace', daysLeft: 7 });
    expect(stateAt(line, leaseEnd + 2 * DAY + 1)).toMatchObject({ state: 'grace', daysLeft: 5, message: { key: 'licence.state.grace', params: { days: 5 } } });
    expect(stateAt(line, leaseEnd + 6 * DAY + 3_600_000)).toMatchObject({ state: 'grace', daysLeft: 1 });
    const over = stateAt(line, leaseEnd + LICENCE_GRACE_MS);
    expect(over).toMatchObject({ state: 'locked', reason: 'grace_over', message: { key: 'licence.locked.graceOver', params: { date: '2025-03-01' } } });
    expect(translate('zh-CN', over.message.key, over.message.params)).toContain('数据采集');
  });

  it('never lets the lease outrun the most days offline the licence allows', () => {
    const line = sign(payload({ limits: { maxOfflineDays: 10 } }));
    expect(stateAt(line, ISSUED + 10 * DAY)).toMatchObject({ state: 'grace', daysLeft: 7 });
  });

  it('locks premium features when unreported usage reaches the credit limit', () => {
    const line = sign(payload({ plan: 'pay_after_use', limits: { meter: 'machine-hours', creditLimit: 50_000, unitPrice: { amount: 5, per: 60 }, maxUnreportedUnits: 600_000, maxOfflineDays: 30 } }));
    expect(stateAt(line, ISSUED + DAY, { units: 479_999 })).toMatchObject({ state: 'active' });
    // Announced ahead: from 80 % of the cap the state says how much is unreported and what to do.
    const low = stateAt(line, ISSUED + DAY, { units: 480_000 });
    expect(low).toMatchObject({ state: 'renewSoon', licenceEnds: false, message: { key: 'licensing.state.creditLow', params: { units: 480_000, limit: 600_000 } } });
    expect(translate('en', low.message.key, low.message.params)).toContain('480000 of the 600000 units');
    expect(translate('zh-CN', low.message.key, low.message.params)).toContain('最多可记录 600000');
    expect(stateAt(line, ISSUED + DAY, { units: 599_999 })).toMatchObject({ state: 'renewSoon', message: { key: 'licensing.state.creditLow' } });
    expect(stateAt(line, ISSUED + DAY, { units: 600_000 })).toMatchObject({
      state: 'locked',
      reason: 'credit_exhausted',
      message: { key: 'licence.locked.creditExhausted', params: { units: 600_000, limit: 600_000 } },
    });
  });
});

describe('verification', () => {
  it('keeps "cannot verify" (damaged line, unknown key) apart from "verified bad" (edited payload)', () => {
    const line = sign(payload());
    expect(stateAt(line.slice(0, 40), ISSUED)).toMatchObject({ state: 'invalid', reason: 'malformed', message: { key: 'licence.invalid.malformed' } });
    expect(stateAt('', ISSUED)).toMatchObject({ state: 'invalid', reason: 'malformed' });

    const stranger = new Keyring(generateSigningKey());
    expect(stateAt(sign(payload(), stranger), ISSUED)).toMatchObject({ state: 'invalid', reason: 'unknown_key', message: { key: 'licence.invalid.unknownKey' } });

    // Someone extends their own lease by a year: the signature no longer covers the content.
    const [kind, body, signature] = line.split('.') as [string, string, string];
    const content = JSON.parse(new TextDecoder().decode(base64urlDecode(body)!)) as LicencePayload;
    const edited = { ...content, leaseExpiresAt: content.leaseExpiresAt + 365 * DAY };
    const tampered = `${kind}.${base64urlEncode(new TextEncoder().encode(JSON.stringify(edited)))}.${signature}`;
    expect(stateAt(tampered, ISSUED + 40 * DAY)).toMatchObject({ state: 'locked', reason: 'tampered', message: { key: 'licence.locked.tampered' } });
    expect(stateAt(tampered, ISSUED + 40 * DAY)).not.toHaveProperty('licence');

    // A genuine server-time document pasted as a licence.
    const serverTime = marketplace.sign('server-time', { v: 1, machineId: thisPc.id, serverTime: ISSUED });
    expect(stateAt(serverTime, ISSUED)).toMatchObject({ state: 'locked', reason: 'wrong_document' });
  });

  it("refuses another machine's licence, but accepts this PC with one part changed", () => {
    const line = sign(payload());
    // The same PC after a new network card: 3 of 4 parts unchanged.
    const newNic = { ...thisPc, fingerprint: fingerprint({ cpu: 'plant-a', board: 'plant-a', disk: 'plant-a', nic: 'new-card' }) };
    expect(newNic.fingerprint.hash).not.toBe(thisPc.fingerprint.hash);
    expect(stateAt(line, ISSUED + DAY, { pc: newNic })).toMatchObject({ state: 'active' });

    // The file copied to another PC with the same machine record (say, a cloned disk image): most parts differ.
    const cloned = { ...thisPc, fingerprint: fingerprint({ cpu: 'other', board: 'other', disk: 'plant-a', nic: 'other' }) };
    expect(stateAt(line, ISSUED + DAY, { pc: cloned })).toMatchObject({ state: 'locked', reason: 'other_machine', message: { key: 'licence.locked.otherMachine' } });
    // Half the parts is not "most of them".
    const half = { ...thisPc, fingerprint: fingerprint({ cpu: 'plant-a', board: 'plant-a', disk: 'other', nic: 'other' }) };
    expect(stateAt(line, ISSUED + DAY, { pc: half })).toMatchObject({ state: 'locked', reason: 'other_machine' });
    // Another activated PC: its own id and key.
    expect(stateAt(line, ISSUED + DAY, { pc: machine('plant-b') })).toMatchObject({ state: 'locked', reason: 'other_machine' });
    // Same parts, but another machine key (a reinstall that was not activated again).
    expect(stateAt(line, ISSUED + DAY, { pc: { ...machine('plant-a'), id: thisPc.id } })).toMatchObject({ state: 'locked', reason: 'other_machine' });
  });

  it('accepts licences signed by the current and by the pinned next key through a rotation', () => {
    const current = generateSigningKey();
    const next = generateSigningKey();
    const beforeRotation = new Keyring(current, [{ keyId: next.keyId, publicKey: next.publicKey, status: 'next' }]);
    const afterRotation = new Keyring(next, [{ keyId: current.keyId, publicKey: current.publicKey, status: 'retired' }]);
    // The app pinned current and next before the rotation.
    const pinned = beforeRotation.publicKeys();
    const check = (line: string) =>
      licenceState({ line, trustedKeys: pinned, machine: thisPc, floor: new TimeFloor(), reading: { wallClock: ISSUED + DAY } });
    expect(check(sign(payload(), beforeRotation))).toMatchObject({ state: 'active' });
    expect(check(sign(payload(), afterRotation))).toMatchObject({ state: 'active' });
    // A key announced under a pinned id but with other bytes trusts nothing.
    const impostor = generateSigningKey();
    const forged = licenceState({
      line: sign(payload(), new Keyring({ ...impostor, keyId: next.keyId })),
      trustedKeys: [...pinned.filter((key) => key.keyId !== next.keyId), { keyId: next.keyId, publicKey: impostor.publicKey }],
      machine: thisPc,
      floor: new TimeFloor(),
      reading: { wallClock: ISSUED + DAY },
    });
    expect(forged).toMatchObject({ state: 'invalid', reason: 'unknown_key' });
  });
});

describe('clock set back', () => {
  it('detects a clock set back a week and extends nothing', () => {
    const line = sign(payload());
    const floor = new TimeFloor();
    // The app ran on day 28 of the lease: renewSoon, 2 days left.
    floor.advance({ wallClock: ISSUED + 28 * DAY });
    // Restarted with the clock a week back: the lease must not gain a week.
    const back = stateAt(line, ISSUED + 21 * DAY, { floor });
    expect(back).toMatchObject({ state: 'renewSoon', daysLeft: 2, clockWarning: { key: 'licence.clockSuspect', params: { date: '2025-03-29' } } });
    if (back.state !== 'renewSoon') throw new Error('renewSoon expected');
    expect(back.time).toMatchObject({ suspect: true, now: ISSUED + 28 * DAY });

    // Running on for three days (monotonic time) with the clock still back: the lease ends on time,
    // and no grace is granted on a suspect clock.
    floor.advance({ wallClock: ISSUED + 21 * DAY, monotonic: 1_000 });
    const later = stateAt(line, ISSUED + 24 * DAY, { floor, monotonic: 1_000 + 3 * DAY });
    expect(later).toMatchObject({ state: 'locked', reason: 'clock_suspect', message: { key: 'licence.locked.clockSuspect', params: { date: '2025-04-01' } } });

    // The clock set right again: an honest grace countdown from the real date.
    expect(stateAt(line, ISSUED + 31 * DAY, { floor, monotonic: 1_000 + 3 * DAY })).toMatchObject({ state: 'grace', daysLeft: 6 });
    expect(stateAt(line, ISSUED + 31 * DAY, { floor })).not.toHaveProperty('clockWarning');
  });

  it("never counts time before the licence's own issue date", () => {
    // A fresh install (no floor saved) with the clock a week before the licence was signed.
    const line = sign(payload({ plan: 'trial', validUntil: ISSUED + 14 * DAY, leaseExpiresAt: ISSUED + 14 * DAY }));
    expect(stateAt(line, ISSUED - 7 * DAY)).toMatchObject({ state: 'trial', daysLeft: 14, clockWarning: { key: 'licence.clockSuspect' } });
    // Less than a day behind is a drifting clock, not a suspect one.
    expect(stateAt(line, ISSUED - 3_600_000)).not.toHaveProperty('clockWarning');
  });
});
