// The sync against the real cloud service on 127.0.0.1: a week offline with thousands of usage
// records, a network that drops requests and answers at random, the server killed mid-request and
// the app restarted, and refusals kept aside — afterwards the cloud holds every record exactly once.
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateSigningKey, Keyring } from '../../cloud/crypto/keys.ts';
import type { Database as CloudDatabase } from '../../cloud/db/database.ts';
import { createOrganisation, openTestDatabase, startTestCloud, TestMachine, type TestCloud } from '../../cloud/test-support.ts';
import { HttpTransport, type CloudTransport } from '../cloud/transport.ts';
import { silentLogger } from '../host.ts';
import { UsageLedger } from '../licensing/usage-ledger.ts';
import { openDatabase, type Db } from '../storage/database.ts';
import { MAX_RETRY_MS, MIN_RETRY_MS } from './backoff.ts';
import { SyncEngine, type SyncEngineOptions } from './sync-engine.ts';
import { syncMigration } from './sync-schema.ts';
import { seededRandom } from '../demo/simulation.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.UTC(2026, 4, 4);
const TEMPLATE = 'acme.cnc-oee';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A seeded generator in [0, 1), so a failing run can be replayed. */
const seeded = seededRandom;

function appDatabase(dir: string): Db {
  const db = openDatabase(dir);
  syncMigration(db);
  cleanups.push(() => {
    if (db.open) db.close();
  });
  return db;
}

/** The cloud on its own database, which outlives the server (killed and started again). */
class CloudHost {
  db!: CloudDatabase;
  keys = new Keyring(generateSigningKey());
  cloud: TestCloud | null = null;
  machine!: TestMachine;

  static async create(): Promise<CloudHost> {
    const host = new CloudHost();
    host.db = await openTestDatabase();
    await host.start();
    const organisation = await createOrganisation(host.cloud!);
    host.machine = await TestMachine.activate(host.cloud!, organisation.activationCode);
    cleanups.push(async () => {
      await host.stop();
      await host.db.close();
    });
    return host;
  }

  get port(): number {
    return Number(new URL(this.cloud!.url).port);
  }

  async start(): Promise<void> {
    this.cloud = await startTestCloud({ db: this.db, keys: this.keys });
  }

  async stop(): Promise<void> {
    const cloud = this.cloud;
    this.cloud = null;
    await cloud?.close();
  }

  /** What the cloud holds of this machine's usage stream. */
  async held(): Promise<{ count: number; distinct: number; lowest: number | null; highest: number | null }> {
    const [row] = await this.db.query<{ count: number; distinct: number; lowest: number | null; highest: number | null }>(
      `SELECT count(*)::int AS count, count(DISTINCT record_id)::int AS distinct, min(sequence)::int AS lowest, max(sequence)::int AS highest
       FROM usage_records WHERE machine_id = $1 AND stream = 'usage'`,
      [this.machine.id],
    );
    return row!;
  }
}

type ProxyMode = 'pass' | 'dropBefore' | 'dropAfter' | 'killMidRequest' | 'killAfterStore';

/**
 * A TCP proxy on 127.0.0.1 between the app and the cloud that decides, request by request, to pass
 * it, drop the connection before forwarding it, or forward it and drop the answer — or to kill the
 * cloud mid-request. Records the batch ids of the POSTs that reached it.
 */
async function startProxy(target: () => number, decide: (request: string) => ProxyMode, kill: () => Promise<void>) {
  const seen = { dropBefore: 0, dropAfter: 0, pass: 0, batchIds: [] as string[] };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target(), '127.0.0.1');
    sockets.add(client).add(upstream);
    let mode: ProxyMode = 'pass';
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk) => {
      const text = chunk.toString('latin1');
      if (/^(GET|POST) /.test(text)) {
        mode = decide(text.slice(0, text.indexOf(' ', 5)));
        if (mode === 'dropBefore' || mode === 'dropAfter' || mode === 'pass') seen[mode]++;
      }
      const batchId = /"batchId":"([^"]+)"/.exec(text)?.[1];
      if (batchId && mode !== 'dropBefore') seen.batchIds.push(batchId);
      if (mode === 'dropBefore') return end();
      if (mode === 'killMidRequest') {
        // Half a request reaches the server, then the server goes away.
        upstream.write(chunk.subarray(0, Math.floor(chunk.length / 2)), () => {
          end();
          void kill();
        });
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (mode === 'dropAfter') return end();
      if (mode === 'killAfterStore') {
        end();
        void kill();
        return;
      }
      client.write(chunk);
    });
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  const close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  cleanups.push(close);
  return { url, seen, close };
}

function engineFor(host: CloudHost, db: Db, url: () => string, options: Partial<SyncEngineOptions> = {}) {
  const serverTimes: string[] = [];
  const transport = new HttpTransport({ baseUrl: url, signer: () => ({ machineId: host.machine.id, privateKey: host.machine.privateKey }) });
  const engine = new SyncEngine({
    db,
    transport,
    isActivated: () => true,
    logger: silentLogger,
    acceptServerTime: (line) => serverTimes.push(line),
    ...options,
  });
  cleanups.push(() => engine.stop());
  return { engine, serverTimes };
}

function recordUsage(ledger: UsageLedger, count: number, from: number, periodMs: number, firstIndex = 0): void {
  for (let index = firstIndex; index < firstIndex + count; index++) {
    ledger.record({
      templateId: TEMPLATE,
      templateVersion: '1.0.0',
      meter: 'machine-hours',
      unit: 's',
      value: Math.floor(periodMs / 1_000),
      periodStart: from + index * periodMs,
      periodEnd: from + (index + 1) * periodMs,
      clockState: 'ok',
    });
  }
}

const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plantdesk-sync-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
};

describe('sync engine against the real cloud', () => {
  it('keeps a week of records offline, backs off within bounds, then delivers all 3,000 exactly once', async () => {
    const host = await CloudHost.create();
    const dir = tempDir();
    const db = appDatabase(dir);
    let now = START;
    const ledger = new UsageLedger(db, { now: () => now });
    let url = host.cloud!.url;
    const { engine, serverTimes } = engineFor(host, db, () => url, { now: () => now, random: seeded(7) });
    await host.stop();

    // A week offline: records every 200 s, a sync whenever the back-off says it is time.
    const periodMs = 200_000;
    let recorded = 0;
    let attempts = 0;
    const delays: number[] = [];
    for (let hour = 0; hour < 7 * 24 - 1; hour++) {
      now = START + (hour + 1) * HOUR;
      const due = Math.min(3_000, Math.floor((now - START) / periodMs));
      if (due > recorded) {
        db.transaction(() => recordUsage(ledger, due - recorded, START, periodMs, recorded))();
        recorded = due;
      }
      const before = engine.status('en');
      if (before.nextTryAt === null || before.nextTryAt <= now) {
        await engine.syncNow();
        attempts++;
        const status = engine.status('en');
        expect(status.state).toBe('waiting');
        expect(status.lastError).toMatch(/^Cannot reach the PlantDesk cloud \(http:\/\/127\.0\.0\.1:\d+\)/);
        const delay = status.nextTryAt! - now;
        expect(delay).toBeGreaterThanOrEqual(MIN_RETRY_MS);
        expect(delay).toBeLessThanOrEqual(MAX_RETRY_MS);
        delays.push(delay);
      }
    }
    expect(recorded).toBe(3_000);
    expect(attempts).toBeGreaterThan(100);
    expect(engine.status('en').pending.usage).toBe(3_000);
    expect(engine.status('zh-CN').lastError).toMatch(/^无法连接 PlantDesk 云平台/);
    // The jitter spreads the waits: they are not all the same.
    expect(new Set(delays).size).toBeGreaterThan(10);

    await host.start();
    url = host.cloud!.url;
    now = START + 7 * DAY;
    await engine.syncNow();
    const status = engine.status('en');
    expect(status).toMatchObject({ state: 'idle', lastError: null, lastSyncAt: now, pending: { usage: 0, outcomes: 0 }, refused: [] });
    expect(status.nextTryAt).toBe(now + 15 * 60_000);
    expect(engine.acknowledged('usage')).toBe(3_000);
    expect(await host.held()).toEqual({ count: 3_000, distinct: 3_000, lowest: 1, highest: 3_000 });
    const signer = { machineId: host.machine.id, privateKey: host.machine.privateKey };
    const state = await new HttpTransport({ baseUrl: () => url, signer: () => signer }).request<{ highestSequence: number }>({ method: 'GET', path: '/v1/sync/usage/state', signed: true });
    expect(state.body.highestSequence).toBe(3_000);
    expect(serverTimes.length).toBeGreaterThanOrEqual(6);
    expect(serverTimes.every((line) => line.startsWith('server-time.'))).toBe(true);
  }, 40_000);

  it('delivers exactly once through a network that drops requests and answers at random', async () => {
    const host = await CloudHost.create();
    const db = appDatabase(tempDir());
    const random = seeded(20260504);
    const proxy = await startProxy(
      () => host.port,
      () => {
        const roll = random();
        return roll < 0.3 ? 'dropBefore' : roll < 0.6 ? 'dropAfter' : 'pass';
      },
      async () => {},
    );
    let now = START;
    const ledger = new UsageLedger(db, { now: () => now });
    const { engine } = engineFor(host, db, () => proxy.url, { now: () => now, random: seeded(3) });
    let rounds = 0;
    // Records keep arriving while the network misbehaves.
    for (let chunk = 0; chunk < 4; chunk++) {
      db.transaction(() => recordUsage(ledger, 250, START, 60_000, chunk * 250))();
      for (let tries = 0; tries < 3; tries++, rounds++) {
        now += HOUR;
        await engine.syncNow();
      }
    }
    for (; engine.status('en').pending.usage > 0 && rounds < 200; rounds++) {
      now += HOUR;
      await engine.syncNow();
    }
    expect(engine.status('en')).toMatchObject({ pending: { usage: 0 }, refused: [] });
    expect(proxy.seen.dropBefore).toBeGreaterThan(0);
    expect(proxy.seen.dropAfter).toBeGreaterThan(0);
    expect(await host.held()).toEqual({ count: 1_000, distinct: 1_000, lowest: 1, highest: 1_000 });
    // Lost answers were followed by the same batch again: some batch ids reached the cloud twice.
    const ids = proxy.seen.batchIds;
    expect(new Set(ids).size).toBeLessThan(ids.length);
  }, 30_000);

  it('resends the same batch id after the server is killed mid-request and the app restarts', async () => {
    const host = await CloudHost.create();
    const dir = tempDir();
    let db = appDatabase(dir);
    recordUsage(new UsageLedger(db), 600, START, 60_000);
    const modes: ProxyMode[] = ['killAfterStore'];
    const proxy = await startProxy(
      () => host.port,
      (request) => (request.startsWith('POST') ? (modes.shift() ?? 'pass') : 'pass'),
      () => host.stop(),
    );

    // 1: the server stores the first batch and dies before answering.
    let { engine } = engineFor(host, db, () => proxy.url);
    await engine.syncNow();
    expect(engine.status('en').state).toBe('waiting');
    const inFlight = db.prepare("SELECT inflight_batch_id, inflight_first, inflight_last FROM sync_streams WHERE stream = 'usage'").get() as Record<string, unknown>;
    expect(inFlight).toMatchObject({ inflight_first: 1, inflight_last: 500 });
    const batchId = inFlight.inflight_batch_id as string;
    expect(await host.held()).toMatchObject({ count: 500 });
    engine.stop();
    db.close();

    // 2: the app starts again; the server comes back and dies half-way through reading the batch.
    await host.start();
    modes.push('killMidRequest');
    db = appDatabase(dir);
    ({ engine } = engineFor(host, db, () => proxy.url));
    await engine.syncNow();
    expect(engine.status('en').state).toBe('waiting');
    expect(db.prepare("SELECT inflight_batch_id FROM sync_streams WHERE stream = 'usage'").pluck().get()).toBe(batchId);
    engine.stop();
    db.close();

    // 3: both back: the same batch first (the cloud recognises it), then the rest.
    await host.start();
    db = appDatabase(dir);
    ({ engine } = engineFor(host, db, () => proxy.url));
    await engine.syncNow();
    expect(engine.status('en')).toMatchObject({ state: 'idle', pending: { usage: 0 } });
    expect(proxy.seen.batchIds.slice(0, 3)).toEqual([batchId, batchId, batchId]);
    expect(await host.held()).toEqual({ count: 600, distinct: 600, lowest: 1, highest: 600 });
    const batches = await host.db.query<{ batch_id: string }>("SELECT batch_id FROM usage_batches WHERE machine_id = $1 AND stream = 'usage'", [host.machine.id]);
    expect(batches.filter((batch) => batch.batch_id === batchId)).toHaveLength(1);
    expect(batches).toHaveLength(2);
  }, 30_000);

  it('keeps a batch the cloud refuses (an edited record) aside, shows it, and does not send it again', async () => {
    const host = await CloudHost.create();
    const db = appDatabase(tempDir());
    const ledger = new UsageLedger(db);
    let posts = 0;
    const http = new HttpTransport({ baseUrl: () => host.cloud!.url, signer: () => ({ machineId: host.machine.id, privateKey: host.machine.privateKey }) });
    const counting: CloudTransport = {
      request: (request) => {
        if (request.method === 'POST') posts++;
        return http.request(request);
      },
    };
    const { engine } = engineFor(host, db, () => host.cloud!.url, { transport: counting });
    recordUsage(ledger, 10, START, HOUR);
    await engine.syncNow();
    expect(engine.acknowledged('usage')).toBe(10);

    recordUsage(ledger, 10, START, HOUR, 10);
    // Someone edits record 15 with an SQLite tool, getting past the guards.
    db.exec('DROP TRIGGER usage_records_never_change');
    db.prepare('UPDATE usage_records SET value = 1 WHERE sequence = 15').run();
    expect(ledger.verify()).toMatchObject({ ok: false, sequence: 15, problem: 'edited' });

    posts = 0;
    await engine.syncNow();
    expect(posts).toBe(1);
    const status = engine.status('en');
    expect(status.state).toBe('refused');
    expect(status.pending.usage).toBe(10);
    expect(status.refused).toHaveLength(1);
    expect(status.refused[0]).toMatchObject({ stream: 'usage' });
    expect(status.refused[0]!.reason).toContain('The cloud refused usage records 11 to 20');
    expect(status.refused[0]!.reason).toContain('changed or removed');
    expect(status.refused[0]!.reason).toContain(status.refused[0]!.batchId);
    expect(engine.status('zh-CN').refused[0]!.reason).toMatch(/^云平台拒收用量记录 11 至 20/);

    await engine.syncNow();
    await engine.syncNow();
    expect(posts).toBe(1);
    expect(await host.held()).toMatchObject({ count: 10, highest: 10 });
  }, 20_000);

  it('"Try again" sends a refused batch once more under the same id; a refusal without a reason is retried once after an update', async () => {
    const host = await CloudHost.create();
    const db = appDatabase(tempDir());
    const ledger = new UsageLedger(db);
    const http = new HttpTransport({ baseUrl: () => host.cloud!.url, signer: () => ({ machineId: host.machine.id, privateKey: host.machine.privateKey }) });
    // The cloud (a plan or a setting there) refuses usage until its operator fixes it: the real cloud behind a gate.
    let refusing = true;
    const sent: string[] = [];
    const gate: CloudTransport = {
      request: async (request) => {
        if (request.method !== 'POST') return http.request(request);
        sent.push((request.body as { batchId: string }).batchId);
        if (!refusing) return http.request(request);
        return { status: 422, headers: new Headers(), body: { error: { code: 'not_entitled', message: 'No pay-after-use entitlement for acme.cnc-oee' } } } as never;
      },
    };
    const { engine } = engineFor(host, db, () => host.cloud!.url, { transport: gate, appVersion: '1.4.0' });
    recordUsage(ledger, 4, START, HOUR);
    await engine.syncNow();
    let status = engine.status('en');
    expect(status.state).toBe('refused');
    expect(status.refused[0]!.reason).toContain('HTTP 422: No pay-after-use entitlement for acme.cnc-oee');
    expect(status.refused[0]!.reason).toContain('choose Try again');
    await engine.syncNow();
    expect(sent).toHaveLength(1);

    // The same app again: still kept aside. After an update: sent once more, same id, and kept aside again.
    const sameVersion = engineFor(host, db, () => host.cloud!.url, { transport: gate, appVersion: '1.4.0' }).engine;
    await sameVersion.syncNow();
    expect(sent).toHaveLength(1);
    const updated = engineFor(host, db, () => host.cloud!.url, { transport: gate, appVersion: '1.5.0' }).engine;
    await updated.syncNow();
    await updated.syncNow();
    expect(sent).toEqual([sent[0], sent[0]]);
    expect(updated.status('en').state).toBe('refused');

    // The operator fixed it: "Try again" sends the same batch at once, and the cloud takes it.
    refusing = false;
    await updated.retryRefused('usage');
    expect(sent).toEqual([sent[0], sent[0], sent[0]]);
    status = updated.status('en');
    expect(status).toMatchObject({ state: 'idle', refused: [], pending: { usage: 0 }, lastError: null });
    expect(await host.held()).toMatchObject({ count: 4, distinct: 4, highest: 4 });
    // Nothing refused: "Try again" does nothing more.
    await updated.retryRefused('usage');
    expect(sent).toHaveLength(3);
  }, 20_000);

  it('a chain-broken refusal is not retried after an update, only on "Try again"', async () => {
    const host = await CloudHost.create();
    const db = appDatabase(tempDir());
    const ledger = new UsageLedger(db);
    recordUsage(ledger, 3, START, HOUR);
    await engineFor(host, db, () => host.cloud!.url, { appVersion: '1.4.0' }).engine.syncNow();
    recordUsage(ledger, 3, START, HOUR, 3);
    db.exec('DROP TRIGGER usage_records_never_change');
    db.prepare('UPDATE usage_records SET value = 1 WHERE sequence = 5').run();
    const { engine } = engineFor(host, db, () => host.cloud!.url, { appVersion: '1.4.0' });
    await engine.syncNow();
    const batchId = engine.status('en').refused[0]!.batchId;
    const updated = engineFor(host, db, () => host.cloud!.url, { appVersion: '2.0.0' }).engine;
    await updated.syncNow();
    expect(updated.status('en').refused).toEqual([expect.objectContaining({ batchId })]);
    // Tried again by hand, the same batch is refused again (the record is still edited) and kept aside.
    await updated.retryRefused('usage');
    const after = updated.status('en');
    expect(after.refused).toEqual([expect.objectContaining({ stream: 'usage', batchId })]);
    expect(after.refused[0]!.at).toBeGreaterThan(0);
    expect(await host.held()).toMatchObject({ count: 3, highest: 3 });
  }, 20_000);

  it('refreshes licences and the catalogue even when a stream could not be sent, and shows the first failure', async () => {
    const host = await CloudHost.create();
    const db = appDatabase(tempDir());
    recordUsage(new UsageLedger(db), 5, START, HOUR);
    const calls: string[] = [];
    const http = new HttpTransport({ baseUrl: () => host.cloud!.url, signer: () => ({ machineId: host.machine.id, privateKey: host.machine.privateKey }) });
    // The usage endpoint is overloaded; the rest of the cloud answers.
    const busyUsage: CloudTransport = {
      request: async (request) => {
        if (request.method === 'POST') return { status: 503, headers: new Headers(), body: { error: { code: 'unavailable', message: 'busy' } } } as never;
        return http.request(request);
      },
    };
    let licencesFail = false;
    const { engine } = engineFor(host, db, () => host.cloud!.url, {
      transport: busyUsage,
      tasks: {
        refreshLicences: async () => {
          calls.push('licences');
          if (licencesFail) throw new Error('the licence answer was cut short');
        },
        refreshCatalogue: async () => void calls.push('catalogue'),
      },
    });
    await engine.syncNow();
    expect(calls).toEqual(['licences', 'catalogue']);
    expect(engine.status('en')).toMatchObject({ state: 'waiting', pending: { usage: 5 } });
    expect(engine.status('en').lastError).toBe('The PlantDesk cloud could not take the usage records now (HTTP 503). PlantDesk tries again by itself; nothing is lost.');
    // Both failed: the stream's failure (the first) is the one shown; the catalogue was still refreshed.
    licencesFail = true;
    await engine.syncNow();
    expect(calls).toEqual(['licences', 'catalogue', 'licences', 'catalogue']);
    expect(engine.status('en').lastError).toMatch(/^The PlantDesk cloud could not take the usage records now/);
  }, 20_000);

  it('a usage record deleted on this PC is detected by the cloud and the batch kept aside', async () => {
    const host = await CloudHost.create();
    const db = appDatabase(tempDir());
    const ledger = new UsageLedger(db);
    const { engine } = engineFor(host, db, () => host.cloud!.url);
    recordUsage(ledger, 5, START, HOUR);
    await engine.syncNow();
    recordUsage(ledger, 5, START, HOUR, 5);
    db.exec('DROP TRIGGER usage_records_never_removed');
    db.prepare('DELETE FROM usage_records WHERE sequence = 6').run();

    await engine.syncNow();
    const status = engine.status('en');
    expect(status.state).toBe('refused');
    expect(status.refused[0]!.reason).toContain('records 7 to 10');
    const incidents = await host.db.query<{ kind: string }>('SELECT kind FROM chain_incidents WHERE machine_id = $1', [host.machine.id]);
    expect(incidents.map((incident) => incident.kind)).toContain('sequence_gap');
    expect(await host.held()).toMatchObject({ count: 5, highest: 5 });
  }, 20_000);

  it('resumes pending work when started, runs the refresh tasks each sync, and says when one fails', async () => {
    const host = await CloudHost.create();
    const db = appDatabase(tempDir());
    recordUsage(new UsageLedger(db), 60, START, HOUR);
    const calls: string[] = [];
    const states: string[] = [];
    let activated = false;
    let catalogueFails = false;
    const { engine } = engineFor(host, db, () => host.cloud!.url, {
      isActivated: () => activated,
      emitStatus: (status) => states.push(status.state),
      tasks: {
        record: () => void calls.push('record'),
        refreshLicences: async () => void calls.push('licences'),
        refreshCatalogue: async () => {
          calls.push('catalogue');
          if (catalogueFails) throw new Error('the catalogue answer was cut short');
        },
      },
    });
    await engine.syncNow();
    expect(engine.status('en')).toMatchObject({ state: 'notActivated', nextTryAt: null, pending: { usage: 60 } });
    // Periods close even before activation; nothing is sent or refreshed.
    expect(calls).toEqual(['record']);
    calls.length = 0;

    // Activated, the timers pick up the 60 records waiting since before the "restart".
    activated = true;
    engine.start();
    const deadline = Date.now() + 10_000;
    while (engine.status('en').pending.usage > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    while (engine.status('en').state === 'syncing' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(engine.status('en')).toMatchObject({ state: 'idle', pending: { usage: 0 } });
    expect(calls).toEqual(['record', 'licences', 'catalogue']);
    expect(states).toContain('syncing');
    expect(states.at(-1)).toBe('idle');
    expect(await host.held()).toMatchObject({ count: 60, distinct: 60 });

    catalogueFails = true;
    await engine.syncNow();
    const status = engine.status('en');
    expect(status.state).toBe('waiting');
    expect(status.lastError).toBe('Refreshing the template catalogue failed: the catalogue answer was cut short. PlantDesk tries again at the next sync.');
    expect(engine.status('zh-CN').lastError).toBe('刷新模板目录失败：the catalogue answer was cut short。PlantDesk 会在下次同步时重试。');
    engine.stop();
  }, 20_000);

  it("a PC whose clock is wrong is told so, keeps its records, and syncs once the clock is right", async () => {
    const host = await CloudHost.create();
    const db = appDatabase(tempDir());
    recordUsage(new UsageLedger(db), 20, START, HOUR);
    let skewMs = -2 * DAY;
    const transport = new HttpTransport({
      baseUrl: () => host.cloud!.url,
      signer: () => ({ machineId: host.machine.id, privateKey: host.machine.privateKey }),
      now: () => Date.now() + skewMs,
    });
    const { engine } = engineFor(host, db, () => host.cloud!.url, { transport, random: () => 0.5 });
    await engine.syncNow();
    const status = engine.status('en');
    expect(status).toMatchObject({ state: 'waiting', refused: [], pending: { usage: 20 } });
    expect(status.lastError).toMatch(/^The PlantDesk cloud refused this PC's request because the PC's clock is wrong \(.+\)\. Set the date and time in Windows, then choose Sync now\.$/);
    expect(engine.status('zh-CN').lastError).toMatch(/本机时钟不准/);
    skewMs = 0;
    await engine.syncNow();
    expect(engine.status('en')).toMatchObject({ state: 'idle', pending: { usage: 0 }, lastError: null });
    expect(await host.held()).toMatchObject({ count: 20, distinct: 20 });
    await engine.close();
  }, 20_000);

  it('honours Retry-After from a busy server', async () => {
    const server = http.createServer((_request, response) => {
      response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '600' });
      response.end(JSON.stringify({ error: { code: 'unavailable', message: 'busy' } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const db = appDatabase(tempDir());
    recordUsage(new UsageLedger(db), 3, START, HOUR);
    const now = START + DAY;
    const { privateKey } = (await import('node:crypto')).generateKeyPairSync('ed25519');
    const engine = new SyncEngine({
      db,
      transport: new HttpTransport({ baseUrl: () => `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, signer: () => ({ machineId: 'mch_test', privateKey }) }),
      isActivated: () => true,
      logger: silentLogger,
      now: () => now,
      random: () => 0,
    });
    await engine.syncNow();
    const status = engine.status('en');
    expect(status.state).toBe('waiting');
    expect(status.nextTryAt).toBe(now + 600_000);
    expect(status.lastError).toBe('The PlantDesk cloud could not take the usage records now (HTTP 503). PlantDesk tries again by itself; nothing is lost.');
    expect(status.refused).toEqual([]);
  });
});
