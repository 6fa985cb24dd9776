// The core on a database file that cannot be used, and its way out: a damaged file (random bytes, a
// configuration page overwritten, a history page overwritten) or one from a newer PlantDesk never
// stops the core — devices keep polling, the contract answers, storage.status says what is wrong and
// what to do — and the file is never written or deleted; restoring a backup (or starting an empty
// database) moves it aside and brings storage back without restarting the process. Backups are taken
// while samples are being recorded, checked, listed, scheduled and pruned to `keep`.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallName, CallOutput, EventMessage, EventPayload } from '../../shared/index.ts';
import { silentLogger } from '../host.ts';
import { createCore, type CallContext, type Core, type CoreOptions } from '../index.ts';
import { makeTempDir, removeDir, waitFor, mustCall, mustRefuse } from '../test-support.ts';
import { DATABASE_FILE } from './database.ts';
import { SCHEMA_VERSION } from './migrations.ts';

const admin: CallContext = { role: 'admin', locale: 'en', actor: 'test' };
const zh: CallContext = { role: 'admin', locale: 'zh-CN', actor: 'test' };
const hasChinese = /[\u4e00-\u9fff]/;

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDataDir(): string {
  const dir = makeTempDir('plantdesk-storage-');
  cleanups.push(() => removeDir(dir));
  return dir;
}

async function startCore(dataDir: string, options: Partial<CoreOptions> = {}): Promise<Core> {
  const core = await createCore({
    host: { kind: 'web', dataDir, logger: silentLogger },
    demoFixedPorts: false,
    checkOutputs: true,
    locale: 'en',
    writer: { flushIntervalMs: 20 },
    links: { minBackoffMs: 20, maxBackoffMs: 200 },
    storage: { checkIntervalMs: 0 },
    ...options,
  });
  cleanups.push(async () => {
    if (core.db.open) await core.close();
  });
  return core;
}

const call = <Name extends CallName>(core: Core, name: Name, input: unknown, context = admin) => mustCall(core, name, input, context);

const refusal = (core: Core, name: string, input: unknown, context = admin) => mustRefuse(core, name, input, context);

/** Every demo device connected and a good live value for every point, read through the contract. */
async function waitUntilLive(core: Core): Promise<void> {
  await waitFor(
    async () => {
      const devices = await call(core, 'devices.list', {});
      const points = await call(core, 'points.list', {});
      return devices.length === 3 && devices.every((device) => device.status.state === 'connected') && points.every((point) => point.latest?.quality === 'good');
    },
    8000,
    { what: 'live values from every demo device', intervalMs: 50 },
  );
}

const POINT = 'demo-cnc1.spindleSpeed';

/** Stored samples of the spindle speed between from and to, through historian.query. */
async function storedTimes(core: Core, from: number, to = Date.now()): Promise<number[]> {
  const result = await call(core, 'historian.query', { pointIds: [POINT], from, to, maxPoints: 5000 });
  return result.series[0]!.points.map(([ts]) => ts);
}

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** What a database file holds: its bytes and those of a write-ahead log beside it (none or empty: nothing). */
function contentOf(file: string): string {
  const wal = fs.existsSync(`${file}-wal`) ? fs.readFileSync(`${file}-wal`) : Buffer.alloc(0);
  return `${sha(file)}+${wal.length === 0 ? 'no-wal' : createHash('sha256').update(wal).digest('hex')}`;
}

/** Overwrites one page of a database file with random bytes (the file must not be open). */
function overwritePage(file: string, page: number): void {
  const db = new Database(file, { readonly: true });
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  const fd = fs.openSync(file, 'r+');
  try {
    fs.writeSync(fd, randomBytes(pageSize), 0, pageSize, (page - 1) * pageSize);
  } finally {
    fs.closeSync(fd);
  }
}

function rootPageOf(file: string, table: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT rootpage FROM sqlite_master WHERE name = ?').pluck().get(table) as number;
  } finally {
    db.close();
  }
}

/** The payloads of storage.statusChanged from now on. */
function storageEvents(core: Core): EventPayload<'storage.statusChanged'>[] {
  const seen: EventPayload<'storage.statusChanged'>[] = [];
  core.events.subscribe((message) => {
    if (message.event === 'storage.statusChanged') seen.push(message.payload);
  });
  return seen;
}

describe('a database file that is not a database (random bytes)', () => {
  it('the core starts, polls, says what is wrong in both languages, refuses what it cannot store, and never touches the file', async () => {
    const dataDir = tempDataDir();
    const file = path.join(dataDir, DATABASE_FILE);
    fs.writeFileSync(file, randomBytes(64 * 1024));
    const before = sha(file);

    const core = await startCore(dataDir);
    await waitUntilLive(core);

    const status = await call(core, 'storage.status', {});
    expect(status).toMatchObject({ state: 'unavailable', problemKind: 'damaged', file, backups: [], lastBackupAt: null });
    expect(status.problem).toBe(
      `The database ${file} is damaged (the file is not a database) and there is no backup of it. PlantDesk keeps collecting live values but cannot store them. ` +
        'Contact support, or start a new empty database from Settings → Storage (the damaged file is kept aside).',
    );
    const chinese = (await call(core, 'storage.status', {}, zh)).problem!;
    expect(chinese).toContain(file);
    expect(chinese).toContain('已损坏（该文件不是数据库）');
    expect(chinese).toMatch(hasChinese);
    await waitFor(async () => (await call(core, 'storage.status', {})).heldSamples > 0, 3000, { what: 'samples held in memory' });

    // What cannot be stored is refused with a sentence naming the file; reading history says why there is none.
    const device = (await call(core, 'devices.list', {}))[0]!;
    const { status: _status, ...config } = device;
    const save = await refusal(core, 'devices.save', { device: { ...config, name: 'Renamed' } });
    expect(save.code).toBe('storage_error');
    expect(save.message).toContain(`This change cannot be saved: the database ${file} is unavailable`);
    const history = await refusal(core, 'historian.query', { pointIds: [POINT], from: 0, to: Date.now() });
    expect(history).toMatchObject({ code: 'storage_error', message: status.problem });
    const backup = await refusal(core, 'storage.backup', {});
    expect(backup.code).toBe('storage_error');
    expect(backup.message).toContain(`No backup can be taken: the database ${file} is unavailable`);
    expect((await refusal(core, 'storage.backup', {}, zh)).message).toMatch(hasChinese);

    await core.close();
    expect(sha(file)).toBe(before);
  });

  it('with no backup, starting an empty database keeps the damaged file aside and stores the samples held meanwhile', async () => {
    const dataDir = tempDataDir();
    const file = path.join(dataDir, DATABASE_FILE);
    fs.writeFileSync(file, randomBytes(64 * 1024));
    const before = sha(file);
    // Every sample since the start was read while the file was unusable (and held in memory).
    const startedAt = Date.now();
    const core = await startCore(dataDir);
    const events = storageEvents(core);
    await waitUntilLive(core);
    await waitFor(async () => (await call(core, 'storage.status', {})).heldSamples > 0, 3000, { what: 'samples held in memory' });

    const status = await call(core, 'storage.startEmpty', { confirmed: true });
    const switchedAt = Date.now();
    expect(status).toMatchObject({ state: 'ok', problem: null, problemKind: null });
    const aside = fs.readdirSync(dataDir).filter((name) => name.startsWith(`${DATABASE_FILE}.damaged-`));
    expect(aside).toHaveLength(1);
    expect(aside[0]).toMatch(/^plantdesk\.db\.damaged-\d{8}-\d{6}$/);
    expect(sha(path.join(dataDir, aside[0]!))).toBe(before);
    expect(events).toContainEqual({ state: 'ok', problemKind: null, lastBackupAt: null });

    // The samples read while the file was unusable are in the new file, and recording goes on.
    await waitFor(async () => (await storedTimes(core, startedAt)).some((ts) => ts < switchedAt), 3000, { what: 'held samples stored' });
    await waitFor(async () => (await storedTimes(core, switchedAt)).length > 0, 5000, { what: 'new samples stored' });
    expect(await call(core, 'devices.list', {})).toHaveLength(3);
  });
});

describe('backups and restore', () => {
  it('a backup taken while recording is intact, listed, and holds what was committed before it', async () => {
    const dataDir = tempDataDir();
    const core = await startCore(dataDir);
    await waitUntilLive(core);
    await waitFor(async () => (await storedTimes(core, Date.now() - 10 * 60_000)).length >= 3, 5000, { what: 'some stored samples' });
    const committed = core.db.prepare('SELECT point, ts FROM samples').raw().all() as [number, number][];

    const backup = await call(core, 'storage.backup', {});
    expect(backup.file).toMatch(/^plantdesk-\d{8}-\d{6}\.db$/);
    const backupFile = path.join(dataDir, 'backups', backup.file);
    expect(backup.sizeBytes).toBe(fs.statSync(backupFile).size);
    expect(Math.abs(backup.ts - Date.now())).toBeLessThan(5000);
    expect(await call(core, 'storage.listBackups', {})).toEqual([backup]);
    expect(await call(core, 'storage.status', {})).toMatchObject({ state: 'ok', problem: null, lastBackupAt: backup.ts, backups: [backup] });
    expect(fs.readdirSync(path.join(dataDir, 'backups'))).toEqual([backup.file]);

    const copy = new Database(backupFile, { readonly: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(copy.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      const has = copy.prepare('SELECT count(*) FROM samples WHERE point = ? AND ts = ?').pluck();
      expect(committed.filter(([point, ts]) => has.get(point, ts) === 1)).toHaveLength(committed.length);
      expect(copy.prepare('SELECT count(*) FROM devices').pluck().get()).toBe(3);
    } finally {
      copy.close();
    }
  });

  it('restoring brings the backup\'s devices and history back, keeps the replaced file aside, and polling resumes', async () => {
    const dataDir = tempDataDir();
    const core = await startCore(dataDir);
    const events: EventMessage[] = [];
    core.events.subscribe((message) => events.push(message));
    await waitUntilLive(core);
    await waitFor(async () => (await storedTimes(core, Date.now() - 10 * 60_000)).length >= 3, 5000, { what: 'some stored samples' });
    const backup = await call(core, 'storage.backup', {});

    // After the backup: a device added. Restoring takes it away again (it is in the file kept aside).
    const { status: _status, ...cnc } = (await call(core, 'devices.list', {}))[0]!;
    await call(core, 'devices.save', { device: { ...cnc, id: 'extra-cnc', name: 'Extra CNC' } });
    expect(await call(core, 'devices.list', {})).toHaveLength(4);

    const status = await call(core, 'storage.restore', { file: backup.file, confirmed: true });
    const restoredAt = Date.now();
    expect(status).toMatchObject({ state: 'ok', problem: null, backups: [backup] });
    expect((await call(core, 'devices.list', {})).map((device) => device.id)).toEqual(['demo-cnc1', 'demo-imm1', 'demo-meter1']);
    const aside = fs.readdirSync(dataDir).filter((name) => name.startsWith(`${DATABASE_FILE}.before-restore-`) && !/-(wal|shm|journal)$/.test(name));
    expect(aside).toHaveLength(1);
    const old = new Database(path.join(dataDir, aside[0]!), { readonly: true });
    try {
      expect(old.prepare("SELECT count(*) FROM devices WHERE id = 'extra-cnc'").pluck().get()).toBe(1);
    } finally {
      old.close();
    }
    expect(events.some((message) => message.event === 'storage.statusChanged')).toBe(true);
    expect(events.some((message) => message.event === 'devices.changed' && message.payload.deviceIds.length === 3)).toBe(true);

    // Every sample of the backup is in the restored file; polling and recording go on.
    const check = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
    try {
      check.prepare('ATTACH DATABASE ? AS backup').run(path.join(dataDir, 'backups', backup.file));
      const missing = check
        .prepare('SELECT count(*) FROM backup.samples b WHERE NOT EXISTS (SELECT 1 FROM main.samples m WHERE m.point = b.point AND m.ts = b.ts)')
        .pluck()
        .get();
      expect(missing).toBe(0);
    } finally {
      check.close();
    }
    await waitUntilLive(core);
    await waitFor(async () => (await storedTimes(core, restoredAt)).length > 0, 5000, { what: 'samples stored after the restore' });
  });

  it('a file with a configuration page overwritten: the core starts on the backup\'s devices and restoring brings everything back', async () => {
    const dataDir = tempDataDir();
    const file = path.join(dataDir, DATABASE_FILE);
    const first = await startCore(dataDir);
    await waitUntilLive(first);
    await waitFor(async () => (await storedTimes(first, Date.now() - 10 * 60_000)).length >= 3, 5000, { what: 'some stored samples' });
    const backup = await call(first, 'storage.backup', {});
    await first.close();
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    overwritePage(file, rootPageOf(file, 'points'));
    const damaged = sha(file);

    const core = await startCore(dataDir);
    const startedAt = Date.now();
    await waitUntilLive(core);
    const status = await call(core, 'storage.status', {});
    expect(status).toMatchObject({ state: 'unavailable', problemKind: 'damaged' });
    const backupTime = new Date(backup.ts);
    const shown = `${backupTime.getFullYear()}-${String(backupTime.getMonth() + 1).padStart(2, '0')}-${String(backupTime.getDate()).padStart(2, '0')} ` +
      `${String(backupTime.getHours()).padStart(2, '0')}:${String(backupTime.getMinutes()).padStart(2, '0')}`;
    expect(status.problem).toContain(`The database ${file} is damaged (its structure is damaged)`);
    expect(status.problem).toContain(`Restore the backup of ${shown} from Settings → Storage`);

    const restored = await call(core, 'storage.restore', { file: backup.file, confirmed: true });
    expect(restored).toMatchObject({ state: 'ok', problemKind: null });
    const aside = fs.readdirSync(dataDir).filter((name) => /^plantdesk\.db\.damaged-\d{8}-\d{6}$/.test(name));
    expect(aside).toHaveLength(1);
    expect(sha(path.join(dataDir, aside[0]!))).toBe(damaged);
    expect(await call(core, 'points.list', {})).toHaveLength(23);
    await waitUntilLive(core);
    // History from before the backup, the samples held while the file was damaged, and new ones.
    const times = await waitFor(
      async () => {
        const stored = await storedTimes(core, Date.now() - 10 * 60_000);
        return stored.some((ts) => ts >= startedAt) && stored;
      },
      5000,
      { what: 'samples recorded after the start on the damaged file' },
    );
    expect(times.some((ts) => ts <= backup.ts)).toBe(true);
    const check = new Database(file, { readonly: true });
    try {
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      check.close();
    }
  });

  /**
   * A file whose configuration is sound but one page of old history (of POINT, times 1..30 000) is
   * overwritten: opening it finds nothing wrong.
   */
  async function fileWithDamagedHistory(dataDir: string): Promise<string> {
    const file = path.join(dataDir, DATABASE_FILE);
    const first = await startCore(dataDir);
    const num = first.db.prepare('SELECT num FROM points WHERE id = ?').pluck().get(POINT) as number;
    const insert = first.db.prepare('INSERT INTO samples (point, ts, value, quality) VALUES (?, ?, ?, 0)');
    first.db.transaction(() => {
      for (let ts = 1; ts <= 30_000; ts++) insert.run(num, ts, ts * 0.5);
    })();
    const pages = first.db.pragma('page_count', { simple: true }) as number;
    await first.close();
    overwritePage(file, Math.floor(pages * 0.6));
    return sha(file);
  }

  it('a history query that meets a damaged page says the file is damaged, and the core stops writing to it', async () => {
    const dataDir = tempDataDir();
    const file = path.join(dataDir, DATABASE_FILE);
    await fileWithDamagedHistory(dataDir);
    const core = await startCore(dataDir, { demo: false });
    expect((await call(core, 'storage.status', {})).state).toBe('ok');

    const error = await refusal(core, 'historian.query', { pointIds: [POINT], from: 0, to: 40_000, maxPoints: 5000 });
    expect(error.code).toBe('storage_error');
    expect(error.message).toContain(`The database ${file} is damaged (its structure is damaged)`);
    await waitFor(async () => (await call(core, 'storage.status', {})).state === 'unavailable', 3000, { what: 'the switch away from the damaged file' });
    expect((await call(core, 'storage.status', {})).problemKind).toBe('damaged');
    // From now on nothing is written to it (the devices, unreachable, keep producing bad-quality samples).
    const found = contentOf(file);
    expect(found).toMatch(/\+no-wal$/);
    expect((await call(core, 'devices.list', {})).map((device) => device.id)).toEqual(['demo-cnc1', 'demo-imm1', 'demo-meter1']);
    await waitFor(async () => (await call(core, 'storage.status', {})).heldSamples > 0, 3000, { what: 'samples held in memory' });
    await core.close();
    expect(contentOf(file)).toBe(found);
  });

  it('a history page damaged while the file looked fine is found by the next backup: the copy is thrown away and the file left alone', async () => {
    const dataDir = tempDataDir();
    const file = path.join(dataDir, DATABASE_FILE);
    await fileWithDamagedHistory(dataDir);
    const core = await startCore(dataDir, { demo: false });
    expect((await call(core, 'storage.status', {})).state).toBe('ok');
    const events = storageEvents(core);
    const error = await refusal(core, 'storage.backup', {});
    expect(error.code).toBe('storage_error');
    expect(error.message).toContain(`The backup check found the database ${file} damaged`);
    expect(error.message).toContain('Restore an earlier backup');
    expect(fs.readdirSync(path.join(dataDir, 'backups'))).toEqual([]);
    const status = await call(core, 'storage.status', {});
    expect(status).toMatchObject({ state: 'unavailable', problemKind: 'damaged' });
    expect(events.map((event) => event.state)).toContain('unavailable');
    const found = contentOf(file);
    expect(found).toMatch(/\+no-wal$/);
    await waitFor(async () => (await call(core, 'storage.status', {})).heldSamples > 0, 3000, { what: 'samples held in memory' });
    await core.close();
    expect(contentOf(file)).toBe(found);
  });

  it('refuses to restore a backup that is not there, a path, or a damaged backup, and changes nothing', async () => {
    const dataDir = tempDataDir();
    const core = await startCore(dataDir, { demo: false });
    const backup = await call(core, 'storage.backup', {});
    const notFound = await refusal(core, 'storage.restore', { file: 'plantdesk-20200101-000000.db', confirmed: true });
    expect(notFound.code).toBe('not_found');
    expect(notFound.message).toContain('There is no backup "plantdesk-20200101-000000.db"');
    expect((await refusal(core, 'storage.restore', { file: `../backups/${backup.file}`, confirmed: true })).code).toBe('not_found');
    expect((await refusal(core, 'storage.restore', { file: backup.file })).code).toBe('invalid_input');
    expect((await refusal(core, 'storage.restore', { file: backup.file, confirmed: true }, { role: 'engineer', locale: 'en' })).code).toBe('forbidden');

    const broken = 'plantdesk-20200101-000000.db';
    fs.writeFileSync(path.join(dataDir, 'backups', broken), randomBytes(8192));
    const unusable = await refusal(core, 'storage.restore', { file: broken, confirmed: true });
    expect(unusable.code).toBe('storage_error');
    expect(unusable.message).toBe(`The backup ${broken} cannot be restored: the file is not a database. Choose another backup; nothing was changed.`);
    expect(fs.readdirSync(dataDir).filter((name) => name.includes('.db.'))).toEqual([]);
    expect((await call(core, 'storage.status', {})).state).toBe('ok');
  });
});

describe('scheduled backups', () => {
  // Days after today, whatever today is: the core started now.
  const today = new Date();
  const at = (day: number, hour: number, minute = 0) => new Date(today.getFullYear() + 1, 0, day, hour, minute).getTime();

  it('one a day at the configured hour, pruned to the newest `keep`; the schedule is kept in the database', async () => {
    const dataDir = tempDataDir();
    const core = await startCore(dataDir, { demo: false, storage: { checkIntervalMs: 0, catchUpDelayMs: 0 } });
    expect((await call(core, 'storage.status', {})).schedule).toEqual({ enabled: true, hour: 2, keep: 7 });
    expect(await call(core, 'storage.configureBackups', { enabled: true, hour: 3, keep: 3 })).toEqual({ enabled: true, hour: 3, keep: 3 });
    expect((await refusal(core, 'storage.configureBackups', { enabled: true, hour: 24, keep: 3 })).code).toBe('invalid_input');

    for (let day = 1; day <= 6; day++) {
      // Before the hour nothing is due (the first day has no backup yet: that one is caught up at once).
      if (day > 1) await core.storage.tick(at(day, 2, 59));
      expect(core.storage.listBackups()).toHaveLength(Math.min(day - 1, 3));
      await core.storage.tick(at(day, 3, 1));
      await core.storage.tick(at(day, 15, 0)); // later that day: not again
      expect(core.storage.listBackups()).toHaveLength(Math.min(day, 3));
    }
    const year = today.getFullYear() + 1;
    expect(core.storage.listBackups().map((backup) => backup.file)).toEqual([
      `plantdesk-${year}0106-030100.db`,
      `plantdesk-${year}0105-030100.db`,
      `plantdesk-${year}0104-030100.db`,
    ]);

    await call(core, 'storage.configureBackups', { enabled: false, hour: 3, keep: 3 });
    await core.storage.tick(at(7, 3, 1));
    expect(core.storage.listBackups()).toHaveLength(3);
    expect((await call(core, 'storage.status', {})).nextBackupAt).toBeNull();
    await call(core, 'storage.configureBackups', { enabled: true, hour: 4, keep: 2 });
    await core.close();

    const again = await startCore(dataDir, { demo: false });
    const status = await call(again, 'storage.status', {});
    expect(status.schedule).toEqual({ enabled: true, hour: 4, keep: 2 });
    expect(status.nextBackupAt).not.toBeNull();
  });
});

describe('what an interrupted backup or restore leaves', () => {
  it('an unfinished backup (the power went in the middle of it) is removed at start and never listed', async () => {
    const dataDir = tempDataDir();
    const backups = path.join(dataDir, 'backups');
    fs.mkdirSync(backups, { recursive: true });
    for (const name of ['plantdesk-20261124-020000.db.partial', 'plantdesk-20261124-020000.db.partial-journal']) {
      fs.writeFileSync(path.join(backups, name), randomBytes(4096));
    }
    fs.writeFileSync(path.join(dataDir, `${DATABASE_FILE}.restoring`), randomBytes(4096));
    const core = await startCore(dataDir, { demo: false });
    expect(fs.readdirSync(backups)).toEqual([]);
    expect(fs.existsSync(path.join(dataDir, `${DATABASE_FILE}.restoring`))).toBe(false);
    expect(await call(core, 'storage.listBackups', {})).toEqual([]);
    expect((await call(core, 'storage.status', {})).state).toBe('ok');
  });
});

describe('a file written by a newer PlantDesk', () => {
  it('the core starts without storage, says to update or restore, and leaves the file exactly as it is', async () => {
    const dataDir = tempDataDir();
    const file = path.join(dataDir, DATABASE_FILE);
    const newer = new Database(file);
    newer.exec('CREATE TABLE future_things (id INTEGER PRIMARY KEY)');
    newer.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    newer.close();
    const before = sha(file);

    const core = await startCore(dataDir);
    await waitUntilLive(core);
    const status = await call(core, 'storage.status', {});
    expect(status).toMatchObject({ state: 'unavailable', problemKind: 'newer' });
    expect(status.problem).toContain(`The database ${file} was written by a newer PlantDesk (data format ${SCHEMA_VERSION + 1}`);
    expect(status.problem).toContain('Update PlantDesk, or restore an older backup');
    await core.close();
    expect(sha(file)).toBe(before);
  });
});
