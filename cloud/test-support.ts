// Test helpers: a real cloud server on 127.0.0.1 (port 0) with PGlite in memory, a machine that
// activates and signs its requests like the app, the operator's client, and builders for chained
// usage records. Also usable by the core's sync tests (tests may import cloud; nothing else may).
import crypto, { type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import {
  activationProof,
  base64urlEncode,
  canonicalRequest,
  GENESIS_HASH,
  recordHashInput,
  SIGNED_REQUEST_HEADERS,
  utf8Encode,
  type ActivationResponse,
  type MachineFingerprint,
  type OutcomeStatement,
  type UsageRecord,
} from '../shared/cloud/index.ts';
import { dumpPglite, openDatabase, type Database } from './db/database.ts';
import { migrate, MIGRATIONS } from './db/migrations.ts';
import { generateSigningKey, Keyring, rawPublicKey, sha256Hex } from './crypto/keys.ts';
import { startCloud, type RunningCloud, type StartCloudOptions } from './index.ts';

export interface TestCloud extends RunningCloud {
  operatorToken: string;
  /** Every log line the server wrote. */
  logs: string[];
}

/**
 * A migrated empty database, made once per schema and kept as a dump in the temp folder: starting
 * PGlite from it takes a fraction of a second instead of seconds.
 */
async function migratedDump(): Promise<Blob> {
  const pgliteVersion = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../node_modules/@electric-sql/pglite/package.json'), 'utf8')).version as string;
  const key = sha256Hex(JSON.stringify(MIGRATIONS) + pgliteVersion).slice(0, 16);
  const file = path.join(os.tmpdir(), `plantdesk-cloud-schema-${key}.tar`);
  if (!fs.existsSync(file)) {
    const db = await openDatabase();
    try {
      await migrate(db);
      const dump = await dumpPglite(db);
      const partial = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
      fs.writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
      fs.renameSync(partial, file);
    } finally {
      await db.close();
    }
  }
  return new Blob([fs.readFileSync(file)]);
}

/** A fresh in-memory database with the schema applied. */
export async function openTestDatabase(): Promise<Database> {
  return openDatabase({ loadDataDir: await migratedDump() });
}

export async function startTestCloud(options: Partial<StartCloudOptions> & { logLevel?: string } = {}): Promise<TestCloud> {
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      logs.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const operatorToken = options.operatorToken ?? `op-${crypto.randomBytes(24).toString('hex')}`;
  const cloud = await startCloud({
    db: options.db ?? (options.databaseUrl || options.dataDir ? undefined : await openTestDatabase()),
    keys: options.keys ?? new Keyring(generateSigningKey()),
    testPayments: true,
    log: { stream, level: options.logLevel ?? 'info' },
    ...options,
    operatorToken,
  });
  const close = cloud.close;
  return {
    ...cloud,
    operatorToken,
    logs,
    async close() {
      await close();
      // A database handed in by the test is the test's to close, unless it was made here.
      if (!options.db && !options.databaseUrl && !options.dataDir) await cloud.db.close().catch(() => {});
    },
  };
}

export interface Answer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

async function answer(response: Response): Promise<Answer> {
  const text = await response.text();
  let body: unknown = text;
  if ((response.headers.get('content-type') ?? '').includes('application/json') && text) body = JSON.parse(text);
  return { status: response.status, body, headers: response.headers };
}

/** The operator, with the operator token. */
export function operatorClient(cloud: { url: string; operatorToken: string }) {
  return {
    async request(method: string, route: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
      const init: RequestInit = { method, headers: { authorization: `Bearer ${cloud.operatorToken}`, ...headers } };
      if (body instanceof Uint8Array) {
        init.body = new Uint8Array(body);
        (init.headers as Record<string, string>)['content-type'] = 'application/zip';
      } else if (body !== undefined) {
        init.body = JSON.stringify(body);
        (init.headers as Record<string, string>)['content-type'] = 'application/json';
      }
      return answer(await fetch(`${cloud.url}${route}`, init));
    },
  };
}

/** An organisation with an activation code, made by the operator. */
export async function createOrganisation(cloud: TestCloud, name = 'Test Works', publisherId?: string) {
  const operator = operatorClient(cloud);
  const organisation = await operator.request('POST', '/v1/operator/organisations', { name, ...(publisherId ? { publisherId } : {}) });
  if (organisation.status !== 201) throw new Error(`could not create the organisation: ${JSON.stringify(organisation.body)}`);
  const code = await operator.request('POST', `/v1/operator/organisations/${organisation.body.id}/activation-codes`, {});
  return { id: organisation.body.id as string, activationCode: code.body.activationCode as string };
}

export function testFingerprint(seed = crypto.randomBytes(8).toString('hex')): MachineFingerprint {
  const components = Object.fromEntries(['cpu', 'board', 'disk', 'nic'].map((part) => [part, sha256Hex(`${seed}:${part}`)]));
  return { hash: sha256Hex(JSON.stringify(components)), components };
}

export interface SignOptions {
  timestamp?: number;
  nonce?: string;
  /** Sign one body, send another (an altered request). */
  sentBody?: string;
  /** Sign with another key. */
  key?: KeyObject;
  headers?: Record<string, string>;
}

/** A PC running PlantDesk: its own Ed25519 key, activated with a code, signing every request. */
export class TestMachine {
  readonly url: string;
  readonly privateKey: KeyObject;
  readonly publicKey: string;
  readonly fingerprint: MachineFingerprint;
  id = '';
  organisationId = '';
  activation: ActivationResponse | undefined;
  /** The machine's clock, for tests that move the cloud's. */
  now: () => number = Date.now;

  constructor(url: string) {
    this.url = url;
    const pair = crypto.generateKeyPairSync('ed25519');
    this.privateKey = pair.privateKey;
    this.publicKey = rawPublicKey(pair.publicKey);
    this.fingerprint = testFingerprint();
  }

  static async activate(cloud: { url: string }, code: string, name = 'Plant office PC'): Promise<TestMachine> {
    const machine = new TestMachine(cloud.url);
    const result = await machine.activate(code, name);
    if (result.status !== 201) throw new Error(`activation failed: ${JSON.stringify(result.body)}`);
    return machine;
  }

  async activate(code: string, name = 'Plant office PC'): Promise<Answer> {
    const proof = base64urlEncode(crypto.sign(null, utf8Encode(activationProof({ code, publicKey: this.publicKey })), this.privateKey));
    const response = await fetch(`${this.url}/v1/machines/activate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, publicKey: this.publicKey, proof, name, fingerprint: this.fingerprint, appVersion: '0.1.0' }),
    });
    const result = await answer(response);
    if (result.status === 201) {
      this.activation = result.body;
      this.id = result.body.machineId;
      this.organisationId = result.body.organisationId;
    }
    return result;
  }

  /** The signature headers for a request, as the app computes them. */
  sign(method: string, route: string, bodyText: string, options: SignOptions = {}): Record<string, string> {
    const timestamp = options.timestamp ?? this.now();
    const nonce = options.nonce ?? crypto.randomBytes(18).toString('base64url');
    const contentSha256 = sha256Hex(bodyText);
    const message = canonicalRequest({ method, path: route, machineId: this.id, timestamp, nonce, contentSha256 });
    const signature = crypto.sign(null, utf8Encode(message), options.key ?? this.privateKey);
    return {
      [SIGNED_REQUEST_HEADERS.machine]: this.id,
      [SIGNED_REQUEST_HEADERS.timestamp]: String(timestamp),
      [SIGNED_REQUEST_HEADERS.nonce]: nonce,
      [SIGNED_REQUEST_HEADERS.contentSha256]: contentSha256,
      [SIGNED_REQUEST_HEADERS.signature]: base64urlEncode(signature),
    };
  }

  async request(method: string, route: string, body?: unknown, options: SignOptions = {}): Promise<Answer> {
    const bodyText = body === undefined ? '' : JSON.stringify(body);
    const headers = { ...this.sign(method, route, bodyText, options), ...options.headers };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const sent = options.sentBody ?? bodyText;
    return answer(await fetch(`${this.url}${route}`, { method, headers, body: sent === '' ? undefined : sent }));
  }

  /** Sends exactly these headers and body again (a replay). */
  async raw(method: string, route: string, headers: Record<string, string>, body?: string): Promise<Answer> {
    return answer(await fetch(`${this.url}${route}`, { method, headers: body ? { ...headers, 'content-type': 'application/json' } : headers, body }));
  }
}

/** A time-ordered UUID (version 7) for record ids. */
export function uuidv7(at = Date.now()): string {
  const bytes = crypto.randomBytes(16);
  bytes.writeUIntBE(at, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function hashRecord<T extends UsageRecord | OutcomeStatement>(record: Omit<T, 'hash'>): T {
  const withHash = { ...record, hash: '' } as T;
  return { ...withHash, hash: sha256Hex(recordHashInput(withHash)) };
}

/** Appends usage records to one machine's chain, as the app's outbox does. */
export class UsageChain {
  sequence = 0;
  head = GENESIS_HASH;
  readonly templateId: string;
  readonly meter: string;

  constructor(templateId: string, meter = 'machine-hours') {
    this.templateId = templateId;
    this.meter = meter;
  }

  next(value: number, periodStart: number, periodEnd = periodStart + 3_600_000, extra: Partial<UsageRecord> = {}): UsageRecord {
    const record = hashRecord<UsageRecord>({
      recordId: uuidv7(periodEnd),
      sequence: ++this.sequence,
      templateId: this.templateId,
      templateVersion: '1.0.0',
      clockState: 'ok',
      recordedAt: periodEnd,
      prevHash: this.head,
      meter: this.meter,
      unit: 'min',
      value,
      periodStart,
      periodEnd,
      ...extra,
    });
    this.head = record.hash;
    return record;
  }
}

/** Appends outcome statements to one machine's chain. */
export class OutcomeChain {
  sequence = 0;
  head = GENESIS_HASH;
  readonly templateId: string;

  constructor(templateId: string) {
    this.templateId = templateId;
  }

  next(baseline: number, measured: number, start: number, end: number, extra: Partial<OutcomeStatement> = {}): OutcomeStatement {
    const statement = hashRecord<OutcomeStatement>({
      recordId: uuidv7(end),
      sequence: ++this.sequence,
      templateId: this.templateId,
      templateVersion: '1.0.0',
      clockState: 'ok',
      recordedAt: end,
      prevHash: this.head,
      metric: 'energy-saved',
      unit: 'Wh',
      baseline: { period: { start: start - 30 * 86_400_000, end: start }, method: 'ipmvp-option-c', value: baseline },
      measured: { period: { start, end }, value: measured },
      outcome: baseline - measured,
      ...extra,
    });
    this.head = statement.hash;
    return statement;
  }
}

/** A 1×1 PNG, for screenshots. */
export const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

export interface TemplateFixture {
  publisher: string;
  name?: string;
  version?: string;
  appVersions?: string;
  categories?: string[];
  title?: { 'zh-CN': string; en: string };
  /** Changes to the manifest after the defaults are filled in. */
  manifest?: Record<string, unknown>;
  /** Files added to (or, with null, removed from) the package. */
  files?: Record<string, Buffer | string | null>;
}

export function templateManifest(fixture: TemplateFixture): Record<string, unknown> {
  return {
    manifestVersion: 1,
    id: `${fixture.publisher}.${fixture.name ?? 'cnc-oee'}`,
    version: fixture.version ?? '1.0.0',
    name: fixture.title ?? { 'zh-CN': 'CNC 单元 OEE', en: 'OEE for a CNC cell' },
    summary: { 'zh-CN': '设备综合效率，按班次统计', en: 'Overall equipment effectiveness by shift' },
    description: { 'zh-CN': '从 PLC 读取运行、停机和产量，计算 OEE。', en: 'Reads run, stop and count signals from the PLC and computes OEE.' },
    publisher: { id: fixture.publisher, name: `${fixture.publisher} Automation` },
    categories: fixture.categories ?? ['oee'],
    appVersions: fixture.appVersions ?? '>=0.1.0 <1.0.0',
    drivers: ['modbus-tcp'],
    permissions: [],
    licence: {
      features: ['shift-report', 'energy-report'],
      meters: [{ id: 'machine-hours', unit: 'min', description: { 'zh-CN': '运行分钟', en: 'Minutes running' } }],
      outcome: { metric: 'energy-saved', unit: 'Wh', baselineMethod: 'ipmvp-option-c', description: { 'zh-CN': '节约电量', en: 'Energy saved' } },
    },
    contents: { dashboards: ['dashboards/oee.json'], kpis: ['kpis/oee.json'] },
    screenshots: [{ path: 'screenshots/overview.png', caption: { 'zh-CN': '总览', en: 'Overview' } }],
    ...fixture.manifest,
  };
}

/** A template package zip as a publisher would upload it. */
export async function templatePackage(fixture: TemplateFixture): Promise<Buffer> {
  const { writePackageZip } = await import('./publishing/zip.ts');
  const files = new Map<string, Buffer>([
    ['manifest.json', Buffer.from(JSON.stringify(templateManifest(fixture)))],
    ['dashboards/oee.json', Buffer.from(JSON.stringify({ widgets: [{ kind: 'gauge', kpi: 'oee' }] }))],
    ['kpis/oee.json', Buffer.from(JSON.stringify({ id: 'oee', expression: 'availability * performance * quality' }))],
    ['screenshots/overview.png', TINY_PNG],
  ]);
  for (const [path, content] of Object.entries(fixture.files ?? {})) {
    if (content === null) files.delete(path);
    else files.set(path, Buffer.isBuffer(content) ? content : Buffer.from(content));
  }
  return writePackageZip(files);
}

/** Price plans of every kind for a fixture template. */
export function fixturePlans() {
  const name = (en: string, zh: string) => ({ 'zh-CN': zh, en });
  return [
    { id: 'trial', kind: 'trial', name: name('14-day trial', '14 天试用'), days: 14, features: ['shift-report'] },
    { id: 'standard', kind: 'subscription', name: name('Standard', '标准版'), currency: 'CNY', monthly: 29_900, yearly: 299_000, features: ['shift-report', 'energy-report'] },
    {
      id: 'metered',
      kind: 'pay_after_use',
      name: name('Pay after use', '先用后付'),
      currency: 'CNY',
      meter: 'machine-hours',
      unitPrice: { amount: 5, per: 60 },
      creditLimit: 50_000,
      features: ['shift-report'],
    },
    {
      id: 'results',
      kind: 'pay_for_results',
      name: name('Pay for results', '效果付费'),
      currency: 'CNY',
      metric: 'energy-saved',
      unitValue: { amount: 80, per: 1000 },
      shareBasisPoints: 2500,
      features: ['energy-report'],
    },
  ];
}

/** A publisher organisation with a published template and its plans. */
export async function publishFixture(cloud: TestCloud, fixture: TemplateFixture, plans: unknown[] = fixturePlans()) {
  const operator = operatorClient(cloud);
  let [organisation] = ((await operator.request('GET', '/v1/operator/organisations')).body.organisations as { id: string; publisherId: string | null }[]).filter(
    (candidate) => candidate.publisherId === fixture.publisher,
  );
  if (!organisation) organisation = (await operator.request('POST', '/v1/operator/organisations', { name: `${fixture.publisher} Automation`, publisherId: fixture.publisher })).body;
  const published = await operator.request('POST', `/v1/operator/organisations/${organisation!.id}/packages`, await templatePackage(fixture));
  if (published.status !== 201) throw new Error(`publishing failed: ${JSON.stringify(published.body)}`);
  if (plans.length > 0) {
    const set = await operator.request('PUT', `/v1/operator/templates/${published.body.templateId}/plans`, { plans });
    if (set.status !== 200) throw new Error(`setting plans failed: ${JSON.stringify(set.body)}`);
  }
  return { organisationId: organisation!.id, templateId: published.body.templateId as string, published: published.body };
}

/** A port on 127.0.0.1 that was free a moment ago (for servers that cannot report the port they got). */
export async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen({ port: 0, host: '127.0.0.1' }, () => {
      const { port } = probe.address() as import('node:net').AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
