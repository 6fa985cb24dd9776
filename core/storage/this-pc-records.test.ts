// Restoring a backup brings back older plant data, never an older copy of this PC's activation,
// licences, usage ledger or sync state: the cloud holds the newer records, and an older ledger
// would make it refuse the next batch and bill hours twice.
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../host.ts';
import { createCore, type Core } from '../index.ts';
import { UsageLedger } from '../licensing/usage-ledger.ts';
import { makeTempDir, mustCall, removeDir } from '../test-support.ts';
import { openDatabase } from './database.ts';
import { readThisPcRecords, writeThisPcRecords } from './this-pc-records.ts';

const admin = { role: 'admin', locale: 'en' } as const;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const HOUR = 3_600_000;
const START = Date.UTC(2026, 10, 2, 0, 0, 0);
const hour = (index: number) => ({
  templateId: 'plantdesk.cnc-oee',
  templateVersion: '1.0.0',
  meter: 'machine-hours',
  unit: 'h',
  value: 1,
  periodStart: START + index * HOUR,
  periodEnd: START + (index + 1) * HOUR,
  clockState: 'ok' as const,
});

async function startCore(dataDir: string): Promise<Core> {
  const core = await createCore({ host: { kind: 'web', dataDir, logger: silentLogger }, demo: false, checkOutputs: true, locale: 'en', storage: { checkIntervalMs: 0 } });
  cleanups.push(async () => {
    if (core.db.open) await core.close();
  });
  return core;
}

describe("this PC's records across a restore", () => {
  it('keeps the newer usage ledger, sync state, licences and settings when an older backup is restored', async () => {
    const dataDir = makeTempDir('plantdesk-this-pc-');
    cleanups.push(() => removeDir(dataDir));
    const core = await startCore(dataDir);
    new UsageLedger(core.db).record(hour(0));
    const backup = await mustCall(core, 'storage.backup', {}, admin);

    // After the backup: more hours recorded and acknowledged, a licence and the activation saved.
    const ledger = new UsageLedger(core.db);
    for (let index = 1; index <= 3; index++) ledger.record(hour(index));
    core.db.prepare("INSERT INTO sync_streams (stream, acked_sequence) VALUES ('usage', 4) ON CONFLICT (stream) DO UPDATE SET acked_sequence = 4").run();
    core.db.prepare("INSERT INTO cloud_licences (entitlement_id, template_id, line, received_at) VALUES ('ent_1', 'plantdesk.cnc-oee', 'licence.x.y', 1)").run();
    core.db.prepare("INSERT OR REPLACE INTO settings (key, value) VALUES ('cloud.url', '\"https://cloud.example.cn\"')").run();
    core.db.prepare("INSERT OR REPLACE INTO settings (key, value) VALUES ('plant.note', '\"after the backup\"')").run();
    const before = ledger.head();

    await mustCall(core, 'storage.restore', { file: backup.file, confirmed: true }, admin);

    const restored = new UsageLedger(core.db);
    expect(restored.head()).toEqual(before);
    expect(restored.verify()).toMatchObject({ ok: true });
    expect(core.db.prepare('SELECT count(*) FROM usage_records').pluck().get()).toBe(4);
    expect(core.db.prepare("SELECT acked_sequence FROM sync_streams WHERE stream = 'usage'").pluck().get()).toBe(4);
    expect(core.db.prepare('SELECT entitlement_id FROM cloud_licences').pluck().all()).toEqual(['ent_1']);
    expect(core.db.prepare("SELECT value FROM settings WHERE key = 'cloud.url'").pluck().get()).toBe('"https://cloud.example.cn"');
    // Plant settings are the backup's.
    expect(core.db.prepare("SELECT value FROM settings WHERE key = 'plant.note'").pluck().get()).toBeUndefined();
    // The next hour chains on from this PC's newest record.
    expect(restored.record(hour(4)).sequence).toBe(5);
  });

  it("leaves a backup's ledger that is another PC's chain as it is", () => {
    const dir = makeTempDir('plantdesk-this-pc-');
    cleanups.push(() => removeDir(dir));
    const ours = openDatabase(makeTempDir('plantdesk-this-pc-a-'));
    const theirs = openDatabase(dir);
    cleanups.push(() => {
      ours.close();
      theirs.close();
    });
    new UsageLedger(ours).record(hour(0));
    new UsageLedger(ours).record(hour(1));
    new UsageLedger(theirs).record({ ...hour(0), templateId: 'plantdesk.energy-meter' });
    const records = readThisPcRecords(ours, silentLogger)!;
    writeThisPcRecords(theirs, records, silentLogger);
    expect(theirs.prepare('SELECT template_id FROM usage_records').pluck().all()).toEqual(['plantdesk.energy-meter']);
    expect(new UsageLedger(theirs).verify()).toMatchObject({ ok: true });
  });
});
