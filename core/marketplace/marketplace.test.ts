// The marketplace in the core against the real cloud (Fastify + PGlite on 127.0.0.1): a publisher's
// templates published through the operator's upload route, an activated machine whose requests the
// HttpTransport signs, and a real migrated SQLite file per test. Browse and search online and from
// the cache, order a trial, install, update, roll back, uninstall, install from a file, refuse what
// the control list revoked, what needs a licence, and anything when the backup fails.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TemplateLicence } from '../../shared/contract/licence-calls.ts';
import { AppError } from '../../shared/errors.ts';
import { translate } from '../../shared/i18n/index.ts';
import crypto, { type KeyObject } from 'node:crypto';
import { activationProof, base64urlEncode, utf8Encode, type MachineFingerprint } from '../../shared/cloud/index.ts';
// Not cloud/test-support.ts: it does not type-check under the electron layer's DOM lib, which also covers core/.
import { generateSigningKey, Keyring, openDatabase as openCloudDatabase, startCloud } from '../../cloud/index.ts';
import { rawPublicKey, sha256Hex } from '../../cloud/crypto/keys.ts';
import { readPackageZip, writePackageZip } from '../../cloud/publishing/zip.ts';
import { freePort } from '../net.ts';
import { HttpTransport, type CloudTransport } from '../cloud/transport.ts';
import type { CallContext } from '../contract/dispatcher.ts';
import { DeviceStore } from '../devices/device-store.ts';
import { hostTimeZone, LocalTime } from '../historian/export/local-time.ts';
import { silentLogger } from '../host.ts';
import { licenceState, TimeFloor } from '../licensing/index.ts';
import { openDatabase, type Db } from '../storage/database.ts';
import type { CreatedItems } from '../templates/index.ts';
import { createMarketHandlers, type MarketHandlers } from './market-handlers.ts';
import { marketplaceMigration } from './schema.ts';

const APP_VERSION = '0.5.0';
const en: CallContext = { role: 'admin', locale: 'en' };
const zh: CallContext = { role: 'admin', locale: 'zh-CN' };
const text = (en: string, zh: string) => ({ en, 'zh-CN': zh });

/** A 1×1 PNG, for screenshots. */
const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

interface TestCloud {
  url: string;
  keys: Keyring;
  operatorToken: string;
  close(): Promise<void>;
}

/** The real cloud on 127.0.0.1 (port 0) with PGlite in memory and the test payment provider. */
async function startTestCloud(keys = new Keyring(generateSigningKey())): Promise<TestCloud> {
  const operatorToken = `op-${crypto.randomBytes(24).toString('hex')}`;
  const db = await openCloudDatabase();
  const running = await startCloud({ db, keys, operatorToken, testPayments: true, log: false, rateLimit: false });
  return {
    url: running.url,
    keys: running.keys,
    operatorToken,
    async close() {
      await running.close();
      await db.close().catch(() => {});
    },
  };
}

/** A request as the operator (bearer token). */
async function asOperator(method: string, route: string, body?: unknown): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { authorization: `Bearer ${cloud.operatorToken}` };
  let sent: string | Uint8Array<ArrayBuffer> | undefined;
  if (Buffer.isBuffer(body)) {
    sent = new Uint8Array(body);
    headers['content-type'] = 'application/zip';
  } else if (body !== undefined) {
    sent = JSON.stringify(body);
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(`${cloud.url}${route}`, { method, headers, body: sent });
  const text = await response.text();
  return { status: response.status, body: text && (response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text };
}

async function createOrganisation(name: string, publisherId?: string): Promise<{ id: string; activationCode: string }> {
  const organisation = await asOperator('POST', '/v1/operator/organisations', { name, ...(publisherId ? { publisherId } : {}) });
  if (organisation.status !== 201) throw new Error(`could not create the organisation: ${JSON.stringify(organisation.body)}`);
  const code = await asOperator('POST', `/v1/operator/organisations/${organisation.body.id}/activation-codes`, {});
  return { id: organisation.body.id as string, activationCode: code.body.activationCode as string };
}

interface ActivatedMachine {
  id: string;
  privateKey: KeyObject;
  publicKey: string;
  fingerprint: MachineFingerprint;
}

/** Activates a PC as the app does: its own Ed25519 key, a proof signed with it, its fingerprint. */
async function activateMachine(code: string): Promise<ActivatedMachine> {
  const pair = crypto.generateKeyPairSync('ed25519');
  const publicKey = rawPublicKey(pair.publicKey);
  const components = Object.fromEntries(['cpu', 'board', 'disk', 'nic'].map((part) => [part, sha256Hex(`${publicKey}:${part}`)]));
  const fingerprint = { hash: sha256Hex(JSON.stringify(components)), components };
  const proof = base64urlEncode(crypto.sign(null, utf8Encode(activationProof({ code, publicKey })), pair.privateKey));
  const response = await fetch(`${cloud.url}/v1/machines/activate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code, publicKey, proof, name: 'Office PC', fingerprint, appVersion: APP_VERSION }),
  });
  const body = (await response.json()) as { machineId: string };
  if (response.status !== 201) throw new Error(`activation failed: ${JSON.stringify(body)}`);
  return { id: body.machineId, privateKey: pair.privateKey, publicKey, fingerprint };
}

/** Price plans of every kind (the energy template's meter, outcome and features). */
function pricePlans() {
  return [
    { id: 'trial', kind: 'trial', name: text('14-day trial', '14 天试用'), days: 14, features: ['shift-report'] },
    { id: 'standard', kind: 'subscription', name: text('Standard', '标准版'), currency: 'CNY', monthly: 29_900, yearly: 299_000, features: ['shift-report', 'energy-report'] },
    { id: 'metered', kind: 'pay_after_use', name: text('Pay after use', '先用后付'), currency: 'CNY', meter: 'machine-hours', unitPrice: { amount: 5, per: 60 }, creditLimit: 50_000, features: ['shift-report'] },
    { id: 'results', kind: 'pay_for_results', name: text('Pay for results', '效果付费'), currency: 'CNY', metric: 'energy-saved', unitValue: { amount: 80, per: 1000 }, shareBasisPoints: 2500, features: ['energy-report'] },
  ];
}

interface PlantTemplate {
  name: string;
  version: string;
  title: { en: string; 'zh-CN': string };
  categories: string[];
  paid?: boolean;
  writes?: boolean;
}

/** A small template that installs into the core: one Modbus device with its points, one dashboard, a screenshot. */
function plantFiles(template: PlantTemplate): Map<string, Buffer> {
  const newer = template.version !== '1.0.0';
  const manifest = {
    manifestVersion: 1,
    id: `acme.${template.name}`,
    version: template.version,
    name: template.title,
    summary: text('Counts strokes and watches the motor', '统计冲次并监视电机'),
    description: text('Reads the stroke counter and the motor current from the PLC.', '从 PLC 读取冲次计数和电机电流。'),
    publisher: { id: 'acme', name: 'Acme Automation' },
    categories: template.categories,
    appVersions: '>=0.1.0 <1.0.0',
    drivers: ['modbus-tcp'],
    permissions: template.writes ? ['write-devices'] : [],
    licence: template.paid
      ? {
          features: ['shift-report', 'energy-report'],
          meters: [{ id: 'machine-hours', unit: 'min', description: text('Minutes running', '运行分钟') }],
          outcome: { metric: 'energy-saved', unit: 'Wh', baselineMethod: 'ipmvp-option-c', description: text('Energy saved', '节约电量') },
        }
      : {},
    parameters: [
      { id: 'device-name', label: text('Machine name', '设备名称'), type: 'string', required: true },
      { id: 'host', label: text('IP address', 'IP 地址'), type: 'string', required: true },
    ],
    contents: { deviceProfiles: ['devices/press.json'], dashboards: ['dashboards/press.json'] },
    screenshots: [{ path: 'screenshots/overview.png', caption: text('Overview', '总览') }],
  };
  const profile = {
    device: { id: 'press', name: '{{param.device-name}}', connection: { kind: 'tcp', host: '{{param.host}}', port: 502 }, unitId: 1 },
    points: [
      { id: 'strokes', name: 'Strokes', address: 0, dataType: 'uint32', kind: 'counter' },
      { id: 'current', name: 'Motor current', unit: 'A', address: 2, dataType: 'int16', scale: 0.1 },
      ...(newer ? [{ id: 'oil-temp', name: 'Oil temperature', unit: '°C', address: 3, dataType: 'int16', scale: 0.1 }] : []),
    ],
  };
  const dashboard = {
    id: 'press',
    name: text('{{param.device-name}} overview', '{{param.device-name}} 总览'),
    widgets: [{ id: 'current', type: 'trend', x: 0, y: 0, w: 6, h: 4, options: { pointIds: ['current'] } }],
  };
  const json = (value: unknown) => Buffer.from(JSON.stringify(value, null, 2));
  return new Map([
    ['manifest.json', json(manifest)],
    ['devices/press.json', json(profile)],
    ['dashboards/press.json', json(dashboard)],
    ['screenshots/overview.png', TINY_PNG],
  ]);
}

const PRESS = { name: 'press-line', title: text('Press line monitor', '冲压线监控'), categories: ['oee'] };
const ENERGY = { name: 'energy-saver', title: text('Compressor energy saver', '空压机节能'), categories: ['energy'], paid: true };
const VALVES = { name: 'valve-control', title: text('Cooling valve control', '冷却阀控制'), categories: ['control'], writes: true };

let cloud: TestCloud;
let cloudUrl: string;
let machine: ActivatedMachine;
let publisherOrg: string;

async function publish(template: PlantTemplate): Promise<void> {
  const published = await asOperator('POST', `/v1/operator/organisations/${publisherOrg}/packages`, await writePackageZip(plantFiles(template)));
  if (published.status !== 201) throw new Error(`publishing failed: ${JSON.stringify(published.body)}`);
}

async function setPlans(templateId: string): Promise<void> {
  const set = await asOperator('PUT', `/v1/operator/templates/${templateId}/plans`, { plans: pricePlans() });
  if (set.status !== 200) throw new Error(`setting plans failed: ${JSON.stringify(set.body)}`);
}

/** The signed package the marketplace serves, as a user would save it to a USB stick. */
async function downloadedPackage(templateId: string, version: string): Promise<Buffer> {
  const response = await fetch(`${cloud.url}/v1/catalogue/templates/${templateId}/versions/${version}/package`);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

beforeAll(async () => {
  cloud = await startTestCloud();
  cloudUrl = cloud.url;
  publisherOrg = (await createOrganisation('Acme Automation', 'acme')).id;
  await publish({ ...PRESS, version: '1.0.0' });
  await publish({ ...PRESS, version: '1.1.0' });
  await publish({ ...ENERGY, version: '1.0.0' });
  await setPlans('acme.energy-saver');
  await publish({ ...VALVES, version: '1.0.0' });
  const plant = await createOrganisation('Jiangnan Stamping Works');
  machine = await activateMachine(plant.activationCode);
}, 60_000);
afterAll(async () => {
  await cloud?.close();
});

/** Licences as the app holds them: the lines the cloud issues to this machine, verified offline. */
class CloudLicences {
  lines: string[] = [];
  refreshes = 0;
  readonly #transport: HttpTransport;
  constructor(transport: HttpTransport) {
    this.#transport = transport;
  }
  async refresh(): Promise<void> {
    this.refreshes++;
    const answer = await this.#transport.request<{ licences: string[] }>({ method: 'POST', path: '/v1/licences/refresh', body: { fingerprint: machine.fingerprint }, signed: true });
    if (answer.status !== 200) throw new Error(`licence refresh answered ${answer.status}`);
    this.lines = answer.body.licences;
  }
  licenceOf(templateId: string): TemplateLicence | null {
    for (const line of this.lines) {
      const state = licenceState({
        line,
        trustedKeys: cloud.keys.publicKeys(),
        machine: { id: machine.id, publicKey: machine.publicKey, fingerprint: machine.fingerprint },
        floor: new TimeFloor(),
        reading: { wallClock: Date.now() },
      });
      if (state.state === 'invalid' || state.state === 'locked' || state.licence.template.id !== templateId) continue;
      return {
        templateId,
        state: state.state,
        plan: state.licence.plan,
        daysLeft: 'daysLeft' in state ? state.daysLeft : null,
        reason: null,
        message: translate('en', state.message.key, state.message.params),
        clockWarning: null,
        premium: true,
        entitlementId: state.licence.entitlementId,
        validUntil: null,
        leaseExpiresAt: null,
        unreportedUnits: null,
        maxUnreportedUnits: null,
      };
    }
    return null;
  }
}

let dir: string;
let db: Db;
let market: MarketHandlers;
let refreshCatalogue: () => Promise<void>;
let licences: CloudLicences;
let backups: string[];
let failBackup: boolean;
let answers: [string, number][];
let changes: { instanceIds: string[]; created: CreatedItems }[];

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'plantdesk-market-'));
  db = openDatabase(dir);
  db.transaction(() => marketplaceMigration(db))();
  cloudUrl = cloud.url;
  const http = new HttpTransport({ baseUrl: () => cloudUrl, signer: () => ({ machineId: machine.id, privateKey: machine.privateKey }) });
  // The real transport, noting each answer's route and status.
  answers = [];
  const transport: CloudTransport = {
    async request(request) {
      const response = await http.request(request);
      answers.push([request.path, response.status]);
      return response as never;
    },
  };
  licences = new CloudLicences(http);
  backups = [];
  failBackup = false;
  changes = [];
  ({ handlers: market, refreshCatalogue } = createMarketHandlers({
    db,
    logger: silentLogger,
    transport,
    appVersion: APP_VERSION,
    trustedKeys: () => cloud.keys.publicKeys(),
    licenceOf: (templateId) => licences.licenceOf(templateId),
    refreshLicences: () => licences.refresh(),
    // A real SQLite online backup, into a folder that cannot be made when the test says so.
    backup: async () => {
      const file = path.join(dir, failBackup ? 'plantdesk.db/not-a-folder' : 'backups', `backup-${backups.length + 1}.db`);
      await fs.mkdir(path.dirname(file), { recursive: true });
      await db.backup(file);
      backups.push(file);
    },
    onInstalled: (change) => changes.push(change),
  }));
});
afterEach(async () => {
  db.close();
  await fs.rm(dir, { recursive: true, force: true });
});

async function refused(work: Promise<unknown>): Promise<AppError> {
  try {
    await work;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected a refusal');
}

/** Every row of every table, in a stable order. */
function dump(): Record<string, string[]> {
  const tables = db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'market_%' ORDER BY name").pluck().all();
  return Object.fromEntries(tables.map((table) => [table, db.prepare(`SELECT * FROM "${table}"`).all().map((row) => JSON.stringify(row)).sort()]));
}

const deadUrl = async () => `http://127.0.0.1:${await freePort()}`;
const pressParameters = { 'device-name': 'Press 3', host: '192.168.1.33' };

describe('the catalogue', () => {
  it('is read from the cloud, answered 304 while unchanged, and served from the cache with a sentence when the cloud is unreachable', async () => {
    const first = await market['marketplace.catalogue']({ refresh: false }, en);
    expect(first.source).toBe('cloud');
    expect(first.problem).toBeNull();
    expect(first.templates.map((t) => t.entry.id).sort()).toEqual(['acme.energy-saver', 'acme.press-line', 'acme.valve-control']);
    const press = first.templates.find((t) => t.entry.id === 'acme.press-line')!;
    expect(press.compatibleVersion).toBe('1.1.0');
    expect(press.control).toEqual({ status: 'published', reason: '' });
    expect(press.installed).toEqual([]);
    const etag = db.prepare<[], string>('SELECT etag FROM market_catalogue').pluck().get();
    expect(etag).toMatch(/^"c\d+-/);

    // Unchanged: the cloud answers 304 and the cache (with its ETag) stays.
    answers.length = 0;
    const again = await market['marketplace.catalogue']({ refresh: true }, en);
    expect(again.source).toBe('cloud');
    expect(again.templates).toHaveLength(3);
    expect(answers.filter(([route]) => route.startsWith('/v1/catalogue/templates?'))).toEqual([[expect.stringContaining('appVersion=0.5.0'), 304]]);
    expect(db.prepare<[], string>('SELECT etag FROM market_catalogue').pluck().get()).toBe(etag);

    cloudUrl = await deadUrl();
    const offline = await market['marketplace.catalogue']({ refresh: true }, en);
    expect(offline.source).toBe('cache');
    expect(offline.templates).toHaveLength(3);
    expect(offline.refreshedAt).toBe(again.refreshedAt);
    expect(offline.problem).toMatch(/could not be read from the PlantDesk cloud.*showing the catalogue saved at \d{4}-\d\d-\d\d \d\d:\d\d\./);
    // The plant's own clock, not UTC; the network's reason once, not Node's bare "fetch failed".
    expect(offline.problem).toContain(`saved at ${new LocalTime(hostTimeZone()).format(offline.refreshedAt!).slice(0, 16)}.`);
    expect(offline.problem).toContain(`(${cloudUrl}: connect ECONNREFUSED`);
    expect(offline.problem).not.toContain('fetch failed');
    const offlineZh = await market['marketplace.catalogue']({ refresh: true }, zh);
    expect(offlineZh.problem).toMatch(/无法从 PlantDesk 云平台读取模板市场/);
  });

  it('says so when the cloud cannot be reached and nothing was ever cached', async () => {
    cloudUrl = await deadUrl();
    const view = await market['marketplace.catalogue']({ refresh: false }, en);
    expect(view).toMatchObject({ templates: [], refreshedAt: null, source: 'cache' });
    expect(view.problem).toMatch(/no catalogue has been saved on this PC yet/);
  });

  it('is searched in both languages and by category from the cache, offline', async () => {
    await refreshCatalogue();
    cloudUrl = await deadUrl();
    const ids = async (input: { q?: string; category?: string }) => (await market['marketplace.catalogue']({ ...input, refresh: false }, en)).templates.map((t) => t.entry.id);
    expect(await ids({ q: '冲压' })).toEqual(['acme.press-line']);
    expect(await ids({ q: 'PRESS line' })).toEqual(['acme.press-line']);
    expect(await ids({ q: '节能' })).toEqual(['acme.energy-saver']);
    expect(await ids({ q: 'valve 冷却' })).toEqual(['acme.valve-control']);
    expect(await ids({ category: 'energy' })).toEqual(['acme.energy-saver']);
    expect(await ids({ q: 'motor', category: 'oee' })).toEqual(['acme.press-line']);
    expect(await ids({ q: 'no such thing' })).toEqual([]);
  });

  it('shows one template and its screenshot, both kept for offline use', async () => {
    const detail = await market['marketplace.template']({ templateId: 'acme.energy-saver' }, en);
    expect(detail.entry.plans.map((plan) => plan.kind)).toEqual(['trial', 'subscription', 'pay_after_use', 'pay_for_results']);
    expect(detail.licence).toBeNull();
    const shot = await market['marketplace.screenshot']({ templateId: 'acme.press-line', version: '1.1.0', index: 0 }, en);
    expect(shot.contentType).toBe('image/png');
    expect(Buffer.from(shot.base64, 'base64').equals(TINY_PNG)).toBe(true);

    cloudUrl = await deadUrl();
    expect((await market['marketplace.template']({ templateId: 'acme.energy-saver' }, en)).entry.id).toBe('acme.energy-saver');
    expect((await market['marketplace.screenshot']({ templateId: 'acme.press-line', version: '1.1.0', index: 0 }, en)).base64).toBe(shot.base64);
    const missing = await refused(market['marketplace.screenshot']({ templateId: 'acme.press-line', version: '1.0.0', index: 0 }, en));
    expect(missing.code).toBe('unavailable');
    expect(translate('zh-CN', missing.key, missing.params)).toMatch(/截图未保存在本机/);
    const unknown = await refused(market['marketplace.template']({ templateId: 'acme.nothing-here' }, en));
    expect(unknown.message).toMatch(/cannot be reached/);
  });
});

describe('orders', () => {
  it('starts a trial, refreshes the licences, lists and cancels the entitlement', async () => {
    await refreshCatalogue();
    const ordered = await market['marketplace.order']({ templateId: 'acme.energy-saver', planId: 'trial' }, en);
    expect(ordered.entitlement).toMatchObject({ templateId: 'acme.energy-saver', kind: 'trial', status: 'active' });
    expect(ordered.invoice).toBeNull();
    expect(licences.refreshes).toBe(1);
    expect(ordered.licence).toMatchObject({ templateId: 'acme.energy-saver', state: 'trial', premium: true });
    expect((await market['marketplace.template']({ templateId: 'acme.energy-saver' }, en)).licence?.state).toBe('trial');

    const listed = await market['marketplace.entitlements']({}, en);
    expect(listed.entitlements.map((e) => e.id)).toContain(ordered.entitlement.id);
    expect(listed.refreshedAt).not.toBeNull();

    // A plan the template does not have: the cloud's reason, in a sentence.
    const wrongPlan = await refused(market['marketplace.order']({ templateId: 'acme.energy-saver', planId: 'gold' }, en));
    expect(wrongPlan.code).toMatch(/invalid_input|not_found/);
    expect(wrongPlan.message).toMatch(/refused the order for acme.energy-saver \(plan gold\)/);
    // A second trial: refused in one sentence, the cloud's reason without a full stop of its own inside ours.
    const secondTrial = await refused(market['marketplace.order']({ templateId: 'acme.energy-saver', planId: 'trial' }, en));
    expect(secondTrial.code).toBe('conflict');
    expect(secondTrial.message).toContain('trial of acme.energy-saver already. Check the plan');
    const secondTrialZh = await refused(market['marketplace.order']({ templateId: 'acme.energy-saver', planId: 'trial' }, zh));
    expect(translate('zh-CN', secondTrialZh.key, secondTrialZh.params)).not.toMatch(/\.。/);

    // The same order sent again under its request id (its answer was lost) gets the first answer.
    const subscribe = { templateId: 'acme.energy-saver', planId: 'standard', period: 'monthly', paymentMethod: 'bank_transfer', requestId: 'dialog-42-monthly' } as const;
    const firstTry = await market['marketplace.order'](subscribe, en);
    const secondTry = await market['marketplace.order'](subscribe, en);
    expect(secondTry.entitlement.id).toBe(firstTry.entitlement.id);
    expect(secondTry.invoice?.number).toBe(firstTry.invoice?.number);

    // Offline: the entitlements from the cache; an order says the cloud cannot be reached.
    cloudUrl = await deadUrl();
    expect((await market['marketplace.entitlements']({}, en)).entitlements.map((e) => e.id)).toContain(ordered.entitlement.id);
    const offline = await refused(market['marketplace.order']({ templateId: 'acme.energy-saver', planId: 'standard', period: 'monthly' }, en));
    expect(offline.code).toBe('unavailable');
    expect(translate('zh-CN', offline.key, offline.params)).toMatch(/无法连接 PlantDesk 云平台/);

    cloudUrl = cloud.url;
    const cancelled = await market['marketplace.cancel']({ entitlementId: ordered.entitlement.id }, en);
    expect(cancelled.entitlement.status).toBe('cancelled');
    // After the trial, the subscription's two tries and the cancel.
    expect(licences.refreshes).toBe(4);
  });
});

describe('installing templates', () => {
  it('installs from the marketplace after a backup, updates, rolls back and uninstalls', async () => {
    await refreshCatalogue();
    const inspection = await market['templates.inspect']({ source: { kind: 'marketplace', templateId: 'acme.press-line', version: '1.0.0' } }, en);
    expect(inspection.manifest).toMatchObject({ id: 'acme.press-line', version: '1.0.0' });
    expect(inspection.files.map((file) => file.path)).toEqual(['dashboards/press.json', 'devices/press.json', 'manifest.json', 'screenshots/overview.png']);
    expect(inspection.suggestedInstanceId).toBe('press-line');
    expect(inspection.control.status).toBe('published');
    expect(db.prepare('SELECT count(*) FROM market_packages').pluck().get()).toBe(1);

    const installed = await market['templates.install']({ source: { kind: 'marketplace', templateId: 'acme.press-line', version: '1.0.0' }, instanceId: 'press3', parameters: pressParameters, confirmWrites: false }, en);
    expect(installed).toMatchObject({ instanceId: 'press3', templateId: 'acme.press-line', version: '1.0.0', previousVersion: null, updateAvailable: '1.1.0' });
    expect(installed.name.en).toBe('Press line monitor');
    expect(backups).toHaveLength(1);
    // The backup was taken before: it has no instance yet.
    const { default: Database } = await import('better-sqlite3');
    const backup = new Database(backups[0]!, { readonly: true });
    expect(backup.prepare('SELECT count(*) FROM template_instances').pluck().get()).toBe(0);
    backup.close();
    const devices = new DeviceStore(db, silentLogger);
    expect(devices.listPoints(installed.created.device[0]!).map((point) => point.name)).toEqual(['Strokes', 'Motor current']);
    expect(changes).toEqual([{ instanceIds: ['press3'], created: expect.objectContaining({ device: installed.created.device }) }]);
    expect((await market['marketplace.catalogue']({ refresh: false }, en)).templates.find((t) => t.entry.id === 'acme.press-line')!.installed).toEqual([{ instanceId: 'press3', version: '1.0.0' }]);

    const updated = await market['templates.update']({ instanceId: 'press3', confirmWrites: false }, en);
    expect(updated).toMatchObject({ version: '1.1.0', previousVersion: '1.0.0', updateAvailable: null, parameters: pressParameters });
    expect(devices.listPoints(installed.created.device[0]!).map((point) => point.name)).toEqual(['Strokes', 'Motor current', 'Oil temperature']);
    const noUpdate = await refused(market['templates.update']({ instanceId: 'press3', confirmWrites: false }, en));
    expect(noUpdate.message).toMatch(/already has the newest version/);

    const rolledBack = await market['templates.rollBack']({ instanceId: 'press3' }, en);
    expect(rolledBack).toMatchObject({ version: '1.0.0', previousVersion: null });
    expect(devices.listPoints(installed.created.device[0]!)).toHaveLength(2);
    expect((await market['templates.installed']({}, en)).instances.map((i) => [i.instanceId, i.version])).toEqual([['press3', '1.0.0']]);

    await expect(market['templates.uninstall']({ instanceId: 'press3', keepData: true }, en)).resolves.toEqual({ instanceId: 'press3' });
    expect((await market['templates.installed']({}, en)).instances).toEqual([]);
    expect(devices.listDevices().map((device) => device.id)).not.toContain(installed.created.device[0]);
    expect(backups).toHaveLength(4);
    expect(changes.map((change) => change.instanceIds[0])).toEqual(['press3', 'press3', 'press3', 'press3']);
  });

  it('installs from a package file the same way, offline, and refuses a tampered one', async () => {
    const bytes = await downloadedPackage('acme.press-line', '1.1.0');
    cloudUrl = await deadUrl();
    const file = { kind: 'file' as const, fileName: 'press-line-1.1.0.zip', base64: bytes.toString('base64') };
    const inspection = await market['templates.inspect']({ source: file }, en);
    expect(inspection.manifest.version).toBe('1.1.0');
    const installed = await market['templates.install']({ source: file, instanceId: 'press4', parameters: pressParameters, confirmWrites: false }, en);
    expect(installed.version).toBe('1.1.0');

    const files = await readPackageZip(bytes);
    files.set('devices/press.json', Buffer.from(files.get('devices/press.json')!.toString().replace('"address": 0', '"address": 40')));
    const tampered = (await writePackageZip(files)).toString('base64');
    const before = dump();
    const refusal = await refused(market['templates.install']({ source: { ...file, base64: tampered }, instanceId: 'press5', parameters: pressParameters, confirmWrites: false }, en));
    expect(refusal.details?.reason).toBe('file_changed');
    expect(refusal.message).toMatch(/devices\/press.json/);
    expect(dump()).toEqual(before);
    expect(backups).toHaveLength(1);

    const notBase64 = await refused(market['templates.inspect']({ source: { ...file, base64: '%%% not a package %%%' } }, en));
    expect(notBase64.message).toMatch(/press-line-1.1.0.zip could not be read/);
  });

  it('refuses a paid template without a licence, and installs it once a trial is running', async () => {
    await refreshCatalogue();
    const source = { kind: 'marketplace' as const, templateId: 'acme.energy-saver' };
    const before = dump();
    const refusal = await refused(market['templates.install']({ source, instanceId: 'energy', parameters: pressParameters, confirmWrites: false }, en));
    expect(refusal.code).toBe('forbidden');
    expect(refusal.message).toMatch(/Start a trial or buy a plan/);
    expect(translate('zh-CN', refusal.key, refusal.params)).toMatch(/开始试用或购买套餐/);
    // The same package from a file follows the same rule.
    const file = { kind: 'file' as const, fileName: 'energy.zip', base64: (await downloadedPackage('acme.energy-saver', '1.0.0')).toString('base64') };
    expect((await refused(market['templates.install']({ source: file, instanceId: 'energy', parameters: pressParameters, confirmWrites: false }, en))).code).toBe('forbidden');
    expect(dump()).toEqual(before);
    expect(backups).toHaveLength(0);

    await market['marketplace.order']({ templateId: 'acme.energy-saver', planId: 'metered' }, en);
    const installed = await market['templates.install']({ source, instanceId: 'energy', parameters: pressParameters, confirmWrites: false }, en);
    expect(installed.licence).toMatchObject({ plan: 'pay_after_use', premium: true });
  });

  it('asks for confirmation before installing a template that writes to devices', async () => {
    await refreshCatalogue();
    const request = { source: { kind: 'marketplace' as const, templateId: 'acme.valve-control' }, instanceId: 'valves', parameters: pressParameters };
    const refusal = await refused(market['templates.install']({ ...request, confirmWrites: false }, en));
    expect(refusal.message).toMatch(/asks to write values to your devices/);
    expect((await market['templates.installed']({}, en)).instances).toEqual([]);
    await expect(market['templates.install']({ ...request, confirmWrites: true }, en)).resolves.toMatchObject({ instanceId: 'valves' });
  });

  it('changes nothing when the backup fails', async () => {
    await refreshCatalogue();
    const before = dump();
    failBackup = true;
    const refusal = await refused(market['templates.install']({ source: { kind: 'marketplace', templateId: 'acme.press-line' }, instanceId: 'press6', parameters: pressParameters, confirmWrites: false }, en));
    expect(refusal.code).toBe('storage_error');
    expect(refusal.message).toMatch(/backup taken before changing press6 failed .*nothing was changed/);
    expect(dump()).toEqual(before);
    expect(changes).toEqual([]);

    failBackup = false;
    await market['templates.install']({ source: { kind: 'marketplace', templateId: 'acme.press-line' }, instanceId: 'press6', parameters: pressParameters, confirmWrites: false }, en);
    failBackup = true;
    const afterInstall = dump();
    expect((await refused(market['templates.uninstall']({ instanceId: 'press6', keepData: false }, en))).code).toBe('storage_error');
    expect(dump()).toEqual(afterInstall);
  });
});

describe('the package cache and activation', () => {
  it('keeps downloaded packages within its bound, the most recently used first', async () => {
    await refreshCatalogue();
    const size = (version: string) => db.prepare<[], number>(`SELECT size FROM market_packages WHERE version = '${version}'`).pluck().get();
    await market['templates.inspect']({ source: { kind: 'marketplace', templateId: 'acme.press-line', version: '1.0.0' } }, en);
    const oneSize = size('1.0.0')!;
    const small = createMarketHandlers({
      db,
      logger: silentLogger,
      transport: new HttpTransport({ baseUrl: () => cloudUrl, signer: () => undefined }),
      appVersion: APP_VERSION,
      trustedKeys: () => cloud.keys.publicKeys(),
      licenceOf: () => null,
      refreshLicences: async () => {},
      backup: async () => {},
      onInstalled: () => {},
      maxPackageCacheBytes: oneSize + 200,
    }).handlers;
    await small['templates.inspect']({ source: { kind: 'marketplace', templateId: 'acme.press-line', version: '1.1.0' } }, en);
    expect(db.prepare<[], string>('SELECT version FROM market_packages').pluck().all()).toEqual(['1.1.0']);
    // Not activated: an order says what to do instead of failing obscurely.
    const notActivated = await refused(small['marketplace.order']({ templateId: 'acme.energy-saver', planId: 'trial' }, en));
    expect(notActivated.code).toBe('unauthorized');
    expect(translate('zh-CN', notActivated.key, notActivated.params)).toMatch(/本机尚未在 PlantDesk 云平台激活/);
  });
});

// Last: it revokes a version in the shared cloud.
describe('the control list', () => {
  it('refuses a version the marketplace revoked once the list is refreshed, also offline and from a file', async () => {
    await refreshCatalogue();
    const bytes = await downloadedPackage('acme.press-line', '1.0.0');
    const file = { kind: 'file' as const, fileName: 'press-line-1.0.0.zip', base64: bytes.toString('base64') };
    expect((await market['templates.inspect']({ source: file }, en)).control.status).toBe('published');
    const latest = { kind: 'marketplace' as const, templateId: 'acme.press-line', version: '1.1.0' };
    expect((await market['templates.inspect']({ source: latest }, en)).control.status).toBe('published');

    expect((await asOperator('POST', '/v1/operator/templates/acme.press-line/versions/1.0.0/status', { status: 'revoked', reason: 'writes the wrong register' })).status).toBe(200);
    expect((await asOperator('POST', '/v1/operator/templates/acme.press-line/versions/1.1.0/status', { status: 'deprecated', reason: 'use 1.2' })).status).toBe(200);
    await refreshCatalogue();
    const revision = db.prepare<[], number>('SELECT revision FROM market_control_list').pluck().get();
    expect(revision).toBeGreaterThan(0);

    cloudUrl = await deadUrl();
    const inspection = await market['templates.inspect']({ source: file }, en);
    expect(inspection.control).toEqual({ status: 'revoked', reason: 'writes the wrong register' });
    const before = dump();
    const refusal = await refused(market['templates.install']({ source: file, instanceId: 'press7', parameters: pressParameters, confirmWrites: false }, en));
    expect(refusal.code).toBe('conflict');
    expect(refusal.message).toMatch(/Version 1.0.0 of acme.press-line was withdrawn by the marketplace \(writes the wrong register\)/);
    expect(dump()).toEqual(before);
    expect(backups).toHaveLength(0);

    // Deprecated: a warning, and the install goes ahead (from the package cached at the inspection above).
    expect((await market['templates.inspect']({ source: latest }, en)).control).toEqual({ status: 'deprecated', reason: 'use 1.2' });
    const installed = await market['templates.install']({ source: latest, instanceId: 'press8', parameters: pressParameters, confirmWrites: false }, en);
    expect(installed.control).toEqual({ status: 'deprecated', reason: 'use 1.2' });
  });

  it('never goes back to an older revision of the list', async () => {
    await refreshCatalogue();
    await refreshCatalogue();
    const held = db.prepare<[], { line: string; revision: number }>('SELECT line, revision FROM market_control_list').get()!;
    expect(held.revision).toBeGreaterThan(1);
    // A cloud restored from an old backup: the same marketplace key, an older catalogue revision.
    const restored = await startTestCloud(cloud.keys);
    try {
      cloudUrl = restored.url;
      await refreshCatalogue();
      expect(answers.filter(([route]) => route === '/v1/catalogue/control-list')).toEqual([
        ['/v1/catalogue/control-list', 200],
        ['/v1/catalogue/control-list', 304],
        ['/v1/catalogue/control-list', 200],
      ]);
      expect(db.prepare<[], string>('SELECT line FROM market_control_list').pluck().get()).toBe(held.line);
      expect((await market['templates.inspect']({ source: { kind: 'file', fileName: 'p.zip', base64: (await downloadedPackage('acme.press-line', '1.0.0')).toString('base64') } }, en)).control.status).toBe('revoked');
    } finally {
      await restored.close();
    }
  });
});
