// Activation and licences against the real cloud (Fastify + PGlite on 127.0.0.1, port 0), with real
// SQLite files and real secret files: codes good, wrong and reused; the key kept out of the database;
// trial, subscription, lease expiry, grace and lock on a simulated clock; a clock set back, across a
// restart; tampered and other machines' lines; a data folder copied to another PC.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKey, Keyring } from '../../cloud/crypto/keys.ts';
import { createOrganisation, operatorClient, publishFixture, startTestCloud, type TestCloud } from '../../cloud/test-support.ts';
import type { TemplateLicence } from '../../shared/contract/licence-calls.ts';
import { AppError } from '../../shared/errors.ts';
import { translate, type Locale } from '../../shared/i18n/index.ts';
import type { CallContext } from '../contract/dispatcher.ts';
import { silentLogger, type CoreHost } from '../host.ts';
import { waitFor } from '../test-support.ts';
import { openDatabase, type Db } from '../storage/database.ts';
import { syncMigration } from '../sync/sync-schema.ts';
import { isSafeCloudUrl } from './machine-identity.ts';
import { cloudMigration, createCloudServices, MACHINE_KEY_SECRET, ProtectedFileSecretStore, secretKeyMaterial, secretsDir, type CloudServices, type MachineFacts, type SecretStore } from './index.ts';

const DAY = 86_400_000;
let cloud: TestCloud;
let templateId: string;
const cleanups: (() => void | Promise<void>)[] = [];

beforeAll(async () => {
  cloud = await startTestCloud();
  ({ templateId } = await publishFixture(cloud, { publisher: 'acme' }));
});
afterAll(async () => {
  await cloud?.close();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let pcNumber = 0;
/** A PC's facts; two calls give two different PCs. */
function pcFacts(): MachineFacts {
  pcNumber += 1;
  const hex = pcNumber.toString(16).padStart(2, '0');
  return {
    osInstallationId: `${hex}`.repeat(16),
    cpuModel: `Intel(R) Core(TM) i5-${10_000 + pcNumber}`,
    cpuCount: 4 + pcNumber,
    totalMemory: (8 + pcNumber) * 1024 ** 3,
    macAddresses: [`b4:2e:99:00:00:${hex}`],
    hostname: `plant-pc-${pcNumber}`,
    platform: 'win32',
    arch: 'x64',
  };
}

const admin = (locale: Locale = 'en'): CallContext => ({ role: 'admin', locale, actor: 'test' });

interface Pc {
  dataDir: string;
  db: Db;
  services: CloudServices;
  facts: MachineFacts;
  /** Moves this PC's wall clock (what the licence store reads); requests to the cloud keep the real time. */
  offset: number;
  changed: string[][];
  restart(): Promise<void>;
}

/** A PC with its own data folder, database file and secret files. */
async function startPc(options: { facts?: MachineFacts; dataDir?: string; env?: Record<string, string> } = {}): Promise<Pc> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'plantdesk-cloud-pc-'));
  const facts = options.facts ?? pcFacts();
  const open = async (pc: Pc) => {
    pc.db = openDatabase(dataDir);
    cloudMigration(pc.db);
    const host: CoreHost = { kind: 'web', dataDir, logger: silentLogger };
    pc.services = await createCloudServices({
      host,
      db: () => pc.db,
      facts,
      env: { PLANTDESK_CLOUD_URL: cloud.url, ...options.env },
      clock: () => ({ wallClock: Date.now() + pc.offset }),
      onLicencesChanged: (templateIds) => pc.changed.push(templateIds),
    });
  };
  const pc = { dataDir, facts, offset: 0, changed: [] } as unknown as Pc;
  pc.restart = async () => {
    pc.services.close();
    pc.db.close();
    await open(pc);
  };
  await open(pc);
  cleanups.push(() => {
    pc.services.close();
    if (pc.db.open) pc.db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  return pc;
}

async function newCode(organisationId: string): Promise<string> {
  return (await operatorClient(cloud).request('POST', `/v1/operator/organisations/${organisationId}/activation-codes`, {})).body.activationCode;
}

async function activatedPc(planId?: 'trial' | 'standard', env?: Record<string, string>): Promise<Pc & { organisationId: string }> {
  const organisation = await createOrganisation(cloud, `Works ${pcNumber + 1}`);
  const pc = await startPc(env ? { env } : {});
  await pc.services.handlers['cloud.activate']({ code: organisation.activationCode, machineName: 'Office PC' }, admin());
  if (planId) {
    const order = await pc.services.transport.request({
      method: 'POST',
      path: '/v1/orders',
      body: { templateId, planId, ...(planId === 'standard' ? { paymentMethod: 'test', period: 'yearly' } : {}) },
      signed: true,
    });
    expect(order.status).toBe(201);
    await pc.services.licences.refresh();
  }
  return Object.assign(pc, { organisationId: organisation.id });
}

/** The AppError a call (or a function making one) fails with. */
async function refusal(work: unknown): Promise<AppError> {
  const caught = await Promise.resolve()
    .then(() => (typeof work === 'function' ? (work as () => unknown)() : work))
    .then(() => undefined, (error: unknown) => error);
  expect(caught).toBeInstanceOf(AppError);
  return caught as AppError;
}

const licenceOf = (pc: Pc, locale: Locale = 'en'): TemplateLicence => {
  const licence = pc.services.licences.licenceOf(templateId, locale);
  expect(licence).not.toBeNull();
  return licence!;
};

const storedLine = (pc: Pc) => (pc.db.prepare('SELECT line FROM cloud_licences WHERE template_id = ?').pluck().get(templateId) as string);

describe('activation', () => {
  it('activates with a good code, refuses a wrong and a reused one in plain words', async () => {
    const organisation = await createOrganisation(cloud, 'Suzhou Precision');
    const pc = await startPc();
    const before = await pc.services.handlers['cloud.status']({}, admin());
    expect(before).toMatchObject({ url: cloud.url, activated: false, keyStorage: 'none', fingerprintMatches: true, sync: { state: 'notActivated' } });

    const wrong = await refusal(pc.services.handlers['cloud.activate']({ code: 'AAAA-BBBB-CCCC-DDDD', machineName: 'Office PC' }, admin()));
    expect(wrong.key).toBe('licensing.cloud.badCode');
    expect(translate('zh-CN', wrong.key, wrong.params)).toContain('AAAA-BBBB-CCCC-DDDD');
    expect((await pc.services.handlers['cloud.status']({}, admin())).activated).toBe(false);
    expect(fs.readdirSync(secretsDir(pc.dataDir)).filter((name) => name.startsWith('machine-key'))).toEqual([]);

    const status = await pc.services.handlers['cloud.activate']({ code: organisation.activationCode.toLowerCase(), machineName: 'Office PC' }, admin());
    expect(status).toMatchObject({ activated: true, machineName: 'Office PC', organisationName: 'Suzhou Precision', keyStorage: 'protected-file', fingerprintMatches: true, sync: { state: 'idle' } });
    expect(status.machineId).toMatch(/^mch_/);
    // The cloud knows this PC by the key it made: a signed request goes through.
    const me = await pc.services.transport.request<{ machine: { id: string; name: string } }>({ method: 'GET', path: '/v1/machines/me', signed: true });
    expect(me.body.machine).toMatchObject({ id: status.machineId, name: 'Office PC' });

    // The same code on another PC: used already.
    const other = await startPc();
    const reused = await refusal(other.services.handlers['cloud.activate']({ code: organisation.activationCode, machineName: 'Line 2' }, admin()));
    expect(reused.key).toBe('licensing.cloud.badCode');
    // This PC again, while the cloud still knows it: say how to re-activate.
    const again = await refusal(pc.services.handlers['cloud.activate']({ code: await newCode(organisation.id), machineName: 'Office PC' }, admin()));
    expect(again.key).toBe('licensing.cloud.alreadyActivated');
    expect(translate('en', again.key, again.params)).toContain(status.machineId!);
    // Once the operator revoked it, a new code activates it again with a new key.
    await operatorClient(cloud).request('POST', `/v1/operator/machines/${status.machineId}/revoke`, {});
    const renewed = await pc.services.handlers['cloud.activate']({ code: await newCode(organisation.id), machineName: 'Office PC' }, admin());
    expect(renewed.activated).toBe(true);
    expect(renewed.machineId).not.toBe(status.machineId);
  });

  it('says so when the cloud cannot be reached or no address is set', async () => {
    const pc = await startPc();
    const unreachable = await refusal(pc.services.handlers['cloud.activate']({ code: 'AAAA-BBBB-CCCC-DDDD', machineName: 'Office PC', url: 'http://127.0.0.1:9' }, admin()));
    expect(unreachable.key).toBe('licensing.cloud.unreachable');
    expect(translate('zh-CN', unreachable.key, unreachable.params)).toContain('http://127.0.0.1:9');
    expect((await pc.services.handlers['cloud.status']({}, admin())).url).toBe('http://127.0.0.1:9');
    // Set back to the real cloud (a trailing slash does not matter), the same PC activates.
    expect((await pc.services.handlers['cloud.setUrl']({ url: `${cloud.url}/` }, admin())).url).toBe(cloud.url);
    const organisation = await createOrganisation(cloud, 'Wuxi Castings');
    expect((await pc.services.handlers['cloud.activate']({ code: organisation.activationCode, machineName: 'Office PC' }, admin())).activated).toBe(true);

    const noUrl = await startPc();
    noUrl.services.close();
    noUrl.db.close();
    noUrl.db = openDatabase(noUrl.dataDir);
    cloudMigration(noUrl.db);
    const bare = await createCloudServices({ host: { kind: 'web', dataDir: noUrl.dataDir, logger: silentLogger }, db: () => noUrl.db, facts: noUrl.facts, env: {} });
    noUrl.services = bare;
    expect((await bare.handlers['cloud.status']({}, admin())).url).toBeNull();
    expect((await refusal(bare.handlers['cloud.activate']({ code: 'AAAA-BBBB-CCCC-DDDD', machineName: 'Office PC' }, admin()))).key).toBe('licensing.cloud.noUrl');
    expect((await refusal(bare.licences.refresh())).key).toBe('licensing.cloud.notActivated');
  });

  it('keeps the private key in the protected file, never in the database file nor in an answer', async () => {
    const pc = await activatedPc('trial');
    const der = await new ProtectedFileSecretStore(pc.dataDir, secretKeyMaterial(pc.facts)).get(MACHINE_KEY_SECRET);
    expect(der).toBeDefined();
    const seed = der!.subarray(der!.length - 32);
    const forms = [seed, Buffer.from(seed.toString('base64url')), Buffer.from(seed.toString('base64')), Buffer.from(seed.toString('hex')), Buffer.from(der!.toString('base64'))];
    pc.db.pragma('wal_checkpoint(TRUNCATE)');
    for (const file of fs.readdirSync(pc.dataDir).filter((name) => name.startsWith('plantdesk.db'))) {
      const bytes = fs.readFileSync(path.join(pc.dataDir, file));
      for (const form of forms) expect(bytes.includes(form)).toBe(false);
    }
    const answers = JSON.stringify([await pc.services.handlers['cloud.status']({}, admin()), await pc.services.handlers['licences.list']({}, admin())]);
    for (const form of forms) expect(answers.includes(form.toString())).toBe(false);
    expect(fs.readdirSync(secretsDir(pc.dataDir)).sort()).toEqual(['machine-key.secret', 'salt']);
  });
});

describe('licences', () => {
  it('shows a trial with its days left after the order and the refresh', async () => {
    const pc = await activatedPc('trial');
    const { licences } = await pc.services.handlers['licences.list']({}, admin());
    expect(licences).toHaveLength(1);
    expect(licences[0]).toMatchObject({ templateId, state: 'trial', plan: 'trial', daysLeft: 14, premium: true, reason: null, clockWarning: null, message: 'Trial: 14 day(s) left.' });
    expect(licenceOf(pc, 'zh-CN').message).toContain('14');
    expect(pc.services.licences.premiumAllowed(templateId)).toBe(true);
    expect(pc.services.licences.premiumAllowed('acme.not-bought')).toBe(false);
    expect(pc.services.licences.licenceOf('acme.not-bought')).toBeNull();
    expect(pc.changed.flat()).toContain(templateId);
  });

  it('runs a subscription active, then grace with days left after the lease ends offline, then locks it', async () => {
    const pc = await activatedPc('standard');
    expect(licenceOf(pc)).toMatchObject({ state: 'active', plan: 'subscription', premium: true, validUntil: expect.any(Number) });
    pc.changed.length = 0;

    pc.offset = 31 * DAY; // a day past the 30-day lease without a sync
    const grace = licenceOf(pc);
    expect(grace).toMatchObject({ state: 'grace', daysLeft: 6, premium: true });
    expect(grace.message).toContain('6 more day(s)');
    pc.services.licences.checkForChanges();
    expect(pc.changed).toEqual([[templateId]]);

    pc.offset = 38 * DAY; // the week of grace is over
    const locked = licenceOf(pc);
    expect(locked).toMatchObject({ state: 'locked', reason: 'grace_over', premium: false });
    expect(locked.message).toContain('data collection, alarms and exports carry on');
    expect(pc.services.licences.premiumAllowed(templateId)).toBe(false);
    pc.services.licences.checkForChanges();
    expect(pc.changed).toEqual([[templateId], [templateId]]);
  });

  it('does not give a clock set back more days, says so, and remembers it across a restart', async () => {
    const pc = await activatedPc('standard');
    pc.offset = 25 * DAY;
    expect(licenceOf(pc)).toMatchObject({ state: 'renewSoon', daysLeft: 5, clockWarning: null });

    pc.offset = 0; // the clock is set back 25 days
    const setBack = licenceOf(pc);
    expect(setBack).toMatchObject({ state: 'renewSoon', daysLeft: 5 });
    expect(setBack.clockWarning).toContain("This PC's clock is behind");
    expect((await pc.services.handlers['cloud.status']({}, admin('zh-CN'))).clockWarning).not.toBeNull();

    await pc.restart();
    expect(licenceOf(pc)).toMatchObject({ state: 'renewSoon', daysLeft: 5 });
    expect(licenceOf(pc).clockWarning).not.toBeNull();

    // The saved floor removed behind the app's back: the app's own newest records still hold it up.
    syncMigration(pc.db);
    pc.db.prepare('INSERT INTO sync_state (id, last_sync_at, last_attempt_at) VALUES (1, ?, ?)').run(Date.now() + 25 * DAY, Date.now() + 25 * DAY);
    pc.services.close();
    pc.db.prepare("DELETE FROM settings WHERE key = 'licensing.timeFloor'").run();
    await pc.restart();
    expect(licenceOf(pc).clockWarning).not.toBeNull();
    // The next sync happens at the right time.
    pc.db.prepare('UPDATE sync_state SET last_sync_at = ?, last_attempt_at = ?').run(Date.now(), Date.now());

    // The cloud's signed time puts the floor right again; another machine's signed time does not.
    const neighbour = await startPc();
    await neighbour.services.handlers['cloud.activate']({ code: await newCode(pc.organisationId), machineName: 'Line 2' }, admin());
    const theirTime = await neighbour.services.transport.request<{ serverTime: string }>({ method: 'GET', path: '/v1/time', signed: true });
    expect(pc.services.licences.acceptServerTime(theirTime.body.serverTime)).toBe(false);
    expect(licenceOf(pc).clockWarning).not.toBeNull();
    const ourTime = await pc.services.transport.request<{ serverTime: string }>({ method: 'GET', path: '/v1/time', signed: true });
    expect(pc.services.licences.acceptServerTime(ourTime.body.serverTime)).toBe(true);
    expect(licenceOf(pc)).toMatchObject({ state: 'active', clockWarning: null });
    await pc.services.licences.refresh();
    expect(licenceOf(pc)).toMatchObject({ state: 'active', clockWarning: null });
    await pc.restart();
    expect(licenceOf(pc)).toMatchObject({ state: 'active', clockWarning: null });
  });

  it('locks a tampered line and refuses to import it, with its sentence', async () => {
    const pc = await activatedPc('standard');
    const line = storedLine(pc);
    const [kind, payload, signature] = line.split('.') as [string, string, string];
    const bytes = Buffer.from(payload, 'base64url');
    const text = bytes.toString('utf8').replace('"plan":"subscription"', '"plan":"subscriptioo"');
    expect(text).not.toBe(bytes.toString('utf8'));
    const tampered = `${kind}.${Buffer.from(text).toString('base64url')}.${signature}`;

    const refused = await refusal(() => pc.services.handlers['licences.import']({ text: `\n${line}\n${tampered}\n` }, admin()));
    expect(refused.key).toBe('licensing.import.refused');
    expect(refused.params.line).toBe(2);
    expect(String(refused.params.reason)).toContain('changed after it was issued');

    // The same line edited in the database file.
    pc.db.prepare('UPDATE cloud_licences SET line = ?').run(tampered);
    expect(licenceOf(pc)).toMatchObject({ state: 'locked', reason: 'tampered', premium: false });
    expect(licenceOf(pc, 'zh-CN').message).toBe(translate('zh-CN', 'licence.locked.tampered'));

    // The genuine line pasted back (an air-gapped plant) makes it whole again.
    const { licences } = await pc.services.handlers['licences.import']({ text: line }, admin());
    expect(licences).toMatchObject([{ templateId, state: 'active' }]);
    expect((await refusal(() => pc.services.handlers['licences.import']({ text: 'no licence here' }, admin()))).key).toBe('licensing.import.noLine');
  });

  it("refuses another machine's licence", async () => {
    const pc = await activatedPc('standard');
    const neighbour = await startPc();
    await neighbour.services.handlers['cloud.activate']({ code: await newCode(pc.organisationId), machineName: 'Line 2' }, admin());
    await neighbour.services.licences.refresh();
    const theirs = storedLine(neighbour);
    expect(licenceOf(neighbour).state).toBe('active');

    const refused = await refusal(() => pc.services.handlers['licences.import']({ text: theirs }, admin()));
    expect(refused.params.reason).toBe(translate('en', 'licence.locked.otherMachine'));
    pc.db.prepare('UPDATE cloud_licences SET line = ?').run(theirs);
    expect(licenceOf(pc)).toMatchObject({ state: 'locked', reason: 'other_machine', premium: false });
  });

  it('asks the keychain for the key again when it did not answer, without a new activation', async () => {
    const pc = await activatedPc('trial');
    pc.services.close();
    const files = new ProtectedFileSecretStore(pc.dataDir, secretKeyMaterial(pc.facts));
    let silent = 1;
    const keychain: SecretStore = {
      kind: 'os-keychain',
      get: async (name) => {
        if (silent-- > 0) throw new Error('the system keychain did not answer within 15 s');
        return files.get(name);
      },
      set: (name, bytes) => files.set(name, bytes),
      delete: (name) => files.delete(name),
    };
    pc.services = await createCloudServices({ host: { kind: 'web', dataDir: pc.dataDir, logger: silentLogger, secrets: keychain }, db: () => pc.db, facts: pc.facts, env: { PLANTDESK_CLOUD_URL: cloud.url } });
    expect(pc.services.identity.problem).toBe('licensing.cloud.keyUnreadable');
    pc.services.licences.checkForChanges();
    await waitFor(() => pc.services.identity.usable, 2000, { what: 'the key read again' });
    expect(licenceOf(pc)).toMatchObject({ state: 'trial' });
  });

  it('does not use a data folder copied to another PC', async () => {
    const pc = await activatedPc('standard');
    pc.db.pragma('wal_checkpoint(TRUNCATE)');
    const copyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plantdesk-cloud-copy-'));
    fs.cpSync(pc.dataDir, copyDir, { recursive: true });
    const copy = await startPc({ dataDir: copyDir });

    const status = await copy.services.handlers['cloud.status']({}, admin());
    expect(status).toMatchObject({ activated: false, fingerprintMatches: false, keyStorage: 'none', machineId: pc.services.identity.view().machineId });
    expect(copy.services.identity.signer()).toBeUndefined();
    expect(licenceOf(copy)).toMatchObject({ state: 'locked', reason: 'other_machine', premium: false });
    const refused = await refusal(copy.services.licences.refresh());
    expect(refused.key).toBe('licensing.cloud.fingerprintMismatch');
    expect(translate('zh-CN', refused.key)).toContain('新的激活码');
    // The way out the sentence gives: this PC with a new code.
    const own = await copy.services.handlers['cloud.activate']({ code: await newCode(pc.organisationId), machineName: 'Copied PC' }, admin());
    expect(own).toMatchObject({ activated: true, fingerprintMatches: true });
    expect(own.machineId).not.toBe(status.machineId);
    expect(licenceOf(copy)).toMatchObject({ state: 'active' });
    // The original PC is untouched.
    expect(licenceOf(pc)).toMatchObject({ state: 'active' });
  });
});

describe('the marketplace keys', () => {
  it('trusts no key a cloud hands out when the release pins its marketplace keys, and only pinned ones otherwise', async () => {
    const other = generateSigningKey();
    const otherKey = new Keyring(other).publicKeys()[0]!;
    const pinnedElsewhere = await activatedPc('trial', { PLANTDESK_MARKETPLACE_KEYS: `${otherKey.keyId}:${otherKey.publicKey}` });
    // The cloud's own key was offered at activation and by GET /v1/keys, and is not used.
    expect(pinnedElsewhere.services.identity.trustedKeys()).toEqual([{ keyId: otherKey.keyId, publicKey: otherKey.publicKey }]);
    // The cloud's licence line does not verify with the pinned key, so it is not kept.
    expect(pinnedElsewhere.services.licences.licenceOf(templateId)).toBeNull();
    expect(pinnedElsewhere.services.licences.premiumAllowed(templateId)).toBe(false);

    const cloudKey = cloud.keys.publicKeys()[0]!;
    const pinnedHere = await activatedPc('trial', { PLANTDESK_MARKETPLACE_KEYS: `${cloudKey.keyId}:${cloudKey.publicKey}` });
    expect(licenceOf(pinnedHere)).toMatchObject({ state: 'trial', premium: true });
  });

  it('adds keys a cloud offers later to those it learned, so a rotation keeps older licences verifying', async () => {
    const pc = await activatedPc('trial');
    const first = pc.services.identity.trustedKeys();
    const next = new Keyring(generateSigningKey()).publicKeys()[0]!;
    pc.services.identity.pinKeys([{ ...next, status: 'current' }]);
    expect(pc.services.identity.trustedKeys().map((key) => key.keyId)).toEqual([...first.map((key) => key.keyId), next.keyId]);
    expect(licenceOf(pc)).toMatchObject({ state: 'trial' });
  });

  it('takes only https cloud addresses, or http on this PC', async () => {
    const pc = await startPc();
    const refused = await refusal(() => pc.services.handlers['cloud.setUrl']({ url: 'http://cloud.example.cn' }, admin('zh-CN')));
    expect(refused.key).toBe('licensing.cloud.insecureUrl');
    expect(refused.toBody('zh-CN').message).toContain('不安全');
    expect(isSafeCloudUrl('https://cloud.example.cn', {})).toBe(true);
    expect(isSafeCloudUrl('http://127.0.0.1:8480', {})).toBe(true);
    expect(isSafeCloudUrl('http://192.168.1.20:8480', {})).toBe(false);
    expect(isSafeCloudUrl('http://192.168.1.20:8480', { PLANTDESK_ALLOW_HTTP_CLOUD: '1' })).toBe(true);
  });
});

describe('a restored backup', () => {
  it('is read from the new database file at once; the clock floor is not wound back by it', async () => {
    const pc = await activatedPc('standard');
    const earlier = fs.mkdtempSync(path.join(os.tmpdir(), 'plantdesk-cloud-backup-'));
    cleanups.push(() => fs.rmSync(earlier, { recursive: true, force: true }));
    const backup = openDatabase(earlier);
    cloudMigration(backup);
    pc.offset = 25 * DAY;
    expect(licenceOf(pc).state).toBe('renewSoon');

    // The storage service swaps the file under the running core (a backup from before activation).
    const file = pc.db;
    pc.db = backup;
    await pc.services.identity.reload();
    pc.offset = 0;
    expect(pc.services.licences.list()).toEqual([]);
    const status = await pc.services.handlers['cloud.status']({}, admin());
    expect(status).toMatchObject({ activated: false, machineId: null });
    expect(status.clockWarning).not.toBeNull();

    pc.db = file;
    backup.close();
    await pc.services.identity.reload();
    expect(licenceOf(pc)).toMatchObject({ state: 'renewSoon', daysLeft: 5 });
    expect((await pc.services.handlers['cloud.status']({}, admin())).activated).toBe(true);
  });
});
