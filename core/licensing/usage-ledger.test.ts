import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { generateSigningKey, Keyring } from '../../cloud/crypto/keys.ts';
import { openDatabase as openCloudDatabase } from '../../cloud/db/database.ts';
import { migrate as migrateCloud } from '../../cloud/db/migrations.ts';
import type { CloudContext } from '../../cloud/context.ts';
import type { MachineIdentity } from '../../cloud/auth/auth.ts';
import { ingestBatch } from '../../cloud/usage/ingest.ts';
import { GENESIS_HASH, UsageRecordSchema } from '../../shared/cloud/index.ts';
import { databaseFile, openDatabase, type Db } from '../storage/database.ts';
import { UsageLedger, UsageLedgerError, usageRecordHash, type UsageInput } from './usage-ledger.ts';
import { usageLedgerMigration } from './usage-schema.ts';

// cloud/usage/ingest.ts reaches cloud/auth/auth.ts, which reads the raw body that cloud/server.ts
// declares on fastify's request; the same declaration here lets the core and electron configs
// check this test without taking in the whole server.
declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: Buffer;
  }
}

const HOUR = 3_600_000;
const START = Date.UTC(2026, 4, 1);
const TEMPLATE = 'acme.cnc-oee';

const dirs: string[] = [];
const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function ledgerDb(dir?: string): { db: Db; dir: string } {
  const folder = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'usage-ledger-'));
  if (!dir) dirs.push(folder);
  const db = openDatabase(folder);
  usageLedgerMigration(db);
  open.push(db);
  return { db, dir: folder };
}

function clock(start = START) {
  let now = start;
  return { now: () => now++ };
}

const usage = (hour: number, meter = 'runtime', value = 3_600): UsageInput => ({
  templateId: TEMPLATE,
  templateVersion: '1.2.0',
  meter,
  unit: 's',
  value,
  periodStart: START + hour * HOUR,
  periodEnd: START + (hour + 1) * HOUR,
  clockState: 'ok',
});

/** Lets a test tamper with the file as someone with an SQLite tool would. */
function dropGuards(db: Db) {
  db.exec('DROP TRIGGER usage_records_never_change; DROP TRIGGER usage_records_never_removed;');
}

/** The real cloud ingestion (cloud/usage/ingest.ts) on an in-memory PGlite with the cloud's schema. */
async function cloudFor() {
  const db = await openCloudDatabase();
  await migrateCloud(db);
  await db.query("INSERT INTO organisations (id, name, created_at) VALUES ('org_testorganisation1', 'Test', 0)");
  await db.query(
    `INSERT INTO machines (id, organisation_id, name, public_key, fingerprint, app_version, activated_at)
     VALUES ('mch_testmachine00001', 'org_testorganisation1', 'PC', 'key', '{"components":{}}'::jsonb, '1.0.0', 0)`,
  );
  const context = {
    db,
    keys: new Keyring(generateSigningKey()),
    now: () => START + 10_000 * HOUR,
    config: { activationCodeDays: 14 },
    payments: {},
    housekeeping: () => {},
  } as unknown as CloudContext;
  const machine = { kind: 'machine', id: 'mch_testmachine00001', organisationId: 'org_testorganisation1', name: 'PC', publicKey: 'key', fingerprint: { components: {} } } as unknown as MachineIdentity;
  return { db, context, machine };
}

describe('usage ledger', () => {
  it('writes a chain of thousands of records that the cloud accepts exactly as sent', async () => {
    const { db } = ledgerDb();
    const ledger = new UsageLedger(db, clock());
    db.transaction(() => {
      for (let hour = 0; hour < 1_250; hour++) {
        ledger.record(usage(hour, 'runtime', 3_000 + (hour % 600)));
        ledger.record({ ...usage(hour, 'energy', 12_345 * hour), unit: 'Wh' });
      }
    })();
    const first = ledger.pending(0, 1)[0]!;
    const correction = ledger.correct({ corrects: first.recordId, delta: -120, clockState: 'suspect' });
    expect(correction).toMatchObject({ sequence: 2_501, corrects: first.recordId, value: -120, meter: 'runtime', periodStart: first.periodStart, clockState: 'suspect' });
    expect(ledger.verify()).toEqual({ ok: true, count: 2_501, headHash: correction.hash });

    const cloud = await cloudFor();
    try {
      let after = 0;
      let batches = 0;
      let lastIds: string[] = [];
      for (let records = ledger.pending(after); records.length > 0; records = ledger.pending(after)) {
        for (const record of records) expect(UsageRecordSchema.parse(record)).toEqual(record);
        // As the outbox sends them: JSON over the wire.
        const answer = await ingestBatch(cloud.context, cloud.machine, 'usage', JSON.parse(JSON.stringify({ batchId: `batch-${++batches}-abcdef`, records })));
        expect(answer.stored).toEqual(records.map((r) => r.recordId));
        expect(answer.duplicates).toEqual([]);
        after = answer.highestSequence;
        expect(after).toBe(records.at(-1)!.sequence);
        lastIds = answer.stored;
      }
      expect(batches).toBe(6);
      expect(after).toBe(2_501);
      const head = ledger.head();
      expect(head).toEqual({ sequence: 2_501, hash: correction.hash });
      const [stream] = await cloud.db.query<{ highest_sequence: number; head_hash: string }>('SELECT highest_sequence, head_hash FROM usage_streams');
      expect(stream).toEqual({ highest_sequence: 2_501, head_hash: head.hash });
      // Idempotent: the outbox re-sending the last batch stores nothing twice.
      const again = await ingestBatch(cloud.context, cloud.machine, 'usage', { batchId: `batch-${batches}-abcdef`, records: ledger.pending(2_500) });
      expect(again).toMatchObject({ stored: [], duplicates: lastIds.slice(-1), highestSequence: 2_501 });
      // Record ids are time-ordered and unique.
      const ids = db.prepare('SELECT record_id FROM usage_records ORDER BY sequence').pluck().all() as string[];
      expect([...ids].sort()).toEqual(ids);
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      await cloud.db.close();
    }
  }, 120_000);

  it('reports a removed middle record by its sequence, and the cloud refuses the gap too', async () => {
    const { db } = ledgerDb();
    const ledger = new UsageLedger(db, clock());
    for (let hour = 0; hour < 10; hour++) ledger.record(usage(hour));
    expect(() => db.prepare('DELETE FROM usage_records WHERE sequence = 5').run()).toThrow(/append-only/);
    dropGuards(db);
    db.prepare('DELETE FROM usage_records WHERE sequence = 5').run();
    expect(ledger.verify()).toMatchObject({ ok: false, sequence: 5, problem: 'missing' });

    const cloud = await cloudFor();
    try {
      await ingestBatch(cloud.context, cloud.machine, 'usage', { batchId: 'batch-gap-1', records: ledger.pending(0, 4) });
      await expect(ingestBatch(cloud.context, cloud.machine, 'usage', { batchId: 'batch-gap-2', records: ledger.pending(4) })).rejects.toMatchObject({ code: 'sequence_gap' });
    } finally {
      await cloud.db.close();
    }
  }, 60_000);

  it('reports an edited value by its sequence, whether or not the hash was recomputed', () => {
    const { db } = ledgerDb();
    const ledger = new UsageLedger(db, clock());
    for (let hour = 0; hour < 10; hour++) ledger.record(usage(hour));
    expect(() => db.prepare('UPDATE usage_records SET value = 1 WHERE sequence = 7').run()).toThrow(/append-only/);
    dropGuards(db);
    const original = ledger.pending(6, 1)[0]!;
    db.prepare('UPDATE usage_records SET value = 1 WHERE sequence = 7').run();
    expect(ledger.verify()).toMatchObject({ ok: false, sequence: 7, recordId: original.recordId, problem: 'edited' });

    // Rewritten with a fresh hash of its own: the next record no longer links to it.
    db.prepare('UPDATE usage_records SET hash = ? WHERE sequence = 7').run(usageRecordHash({ ...original, value: 1 }));
    expect(ledger.verify()).toMatchObject({ ok: false, sequence: 7, problem: 'edited' });

    // Only the last record edited and rehashed: the head written with it shows.
    db.prepare('UPDATE usage_records SET value = 3600, hash = ? WHERE sequence = 7').run(original.hash);
    expect(ledger.verify()).toMatchObject({ ok: true, count: 10 });
    const last = ledger.pending(9, 1)[0]!;
    db.prepare('UPDATE usage_records SET value = 5, hash = ? WHERE sequence = 10').run(usageRecordHash({ ...last, value: 5 }));
    expect(ledger.verify()).toMatchObject({ ok: false, sequence: 10, problem: 'edited' });
    // And the last record removed.
    db.prepare('DELETE FROM usage_records WHERE sequence = 10').run();
    expect(ledger.verify()).toMatchObject({ ok: false, sequence: 10, problem: 'missing' });
  });

  it('continues the sequence and the chain after a restart', () => {
    const { db, dir } = ledgerDb();
    const before = new UsageLedger(db, clock());
    const records = [0, 1, 2].map((hour) => before.record(usage(hour)));
    expect(records.map((r) => r.sequence)).toEqual([1, 2, 3]);
    expect(records[0]!.prevHash).toBe(GENESIS_HASH);
    db.close();

    const reopened = ledgerDb(dir).db;
    // A clock set back after the restart still gives later record ids.
    const after = new UsageLedger(reopened, clock(START - 1_000 * HOUR));
    const next = after.record(usage(3));
    expect(next).toMatchObject({ sequence: 4, prevHash: records[2]!.hash });
    expect(next.recordId > records[2]!.recordId).toBe(true);
    expect(after.verify()).toEqual({ ok: true, count: 4, headHash: next.hash });
    expect(fs.existsSync(databaseFile(dir))).toBe(true);
  });

  it('refuses a second record for the same period and meter, and writes nothing for a refusal', () => {
    const { db } = ledgerDb();
    const ledger = new UsageLedger(db, clock());
    const first = ledger.record(usage(0));
    expect(() => ledger.record(usage(0, 'runtime', 10))).toThrow(expect.objectContaining({ code: 'duplicate_period' }));
    // An overlapping period is the same period twice.
    expect(() => ledger.record({ ...usage(0), periodStart: START + HOUR / 2, periodEnd: START + HOUR + HOUR / 2 })).toThrow(UsageLedgerError);
    // Another meter, or the next period, is fine.
    expect(ledger.record(usage(0, 'energy')).sequence).toBe(2);
    expect(ledger.record(usage(1)).sequence).toBe(3);
    // Values the cloud would refuse are refused here.
    expect(() => ledger.record(usage(2, 'runtime', 1.5))).toThrow(expect.objectContaining({ code: 'invalid_record' }));
    expect(() => ledger.record(usage(2, 'runtime', -1))).toThrow(expect.objectContaining({ code: 'invalid_record' }));
    expect(() => ledger.record({ ...usage(2), meter: 'Not A Slug' })).toThrow(expect.objectContaining({ code: 'invalid_record' }));
    expect(() => ledger.correct({ corrects: '01890000-0000-7000-8000-000000000000', delta: 5, clockState: 'ok' })).toThrow(expect.objectContaining({ code: 'unknown_record' }));
    // A correction is a new record; the corrected one never changes.
    const correction = ledger.correct({ corrects: first.recordId, delta: 60, clockState: 'ok' });
    expect(correction).toMatchObject({ sequence: 4, corrects: first.recordId, value: 60 });
    expect(ledger.pending(0, 1)[0]).toEqual(first);
    expect(ledger.verify()).toEqual({ ok: true, count: 4, headHash: correction.hash });
  });

  it('refuses concurrent duplicates from several writers, keeping the sequence gapless', async () => {
    const { db, dir } = ledgerDb();
    new UsageLedger(db, clock()).record(usage(0));
    const writers = 6;
    const gate = new Int32Array(new SharedArrayBuffer(8));
    const source = `
      const { workerData, parentPort } = require('node:worker_threads');
      (async () => {
        const { default: Database } = await import('better-sqlite3');
        const { UsageLedger } = await import(workerData.ledger);
        const db = new Database(workerData.file);
        db.pragma('busy_timeout = 10000');
        const ledger = new UsageLedger(db);
        const gate = new Int32Array(workerData.gate);
        Atomics.add(gate, 1, 1);
        Atomics.wait(gate, 0, 0);
        const results = [];
        for (const input of workerData.inputs) {
          try { results.push({ ok: true, sequence: ledger.record(input).sequence }); }
          catch (error) { results.push({ ok: false, code: error.code ?? String(error) }); }
        }
        db.close();
        parentPort.postMessage(results);
      })().catch((error) => parentPort.postMessage([{ ok: false, code: String(error) }]));
    `;
    const ledgerUrl = pathToFileURL(path.join(import.meta.dirname, 'usage-ledger.ts')).href;
    const results = Promise.all(
      Array.from({ length: writers }, (_, index) => {
        const worker = new Worker(source, {
          eval: true,
          workerData: { ledger: ledgerUrl, file: databaseFile(dir), gate: gate.buffer, inputs: [usage(1), usage(2 + index, 'energy')] },
        });
        return new Promise<{ ok: boolean; sequence?: number; code?: string }[]>((resolve, reject) => {
          worker.once('message', resolve);
          worker.once('error', reject);
        });
      }),
    );
    while (Atomics.load(gate, 1) < writers) await new Promise((resolve) => setTimeout(resolve, 10));
    Atomics.store(gate, 0, 1);
    Atomics.notify(gate, 0);
    const all = (await results).flat();
    const shared = (await results).map((r) => r[0]!);
    expect(shared.filter((r) => r.ok)).toHaveLength(1);
    expect(shared.filter((r) => !r.ok).map((r) => r.code)).toEqual(Array(writers - 1).fill('duplicate_period'));
    const sequences = all.filter((r) => r.ok).map((r) => r.sequence!).sort((a, b) => a - b);
    expect(sequences).toEqual(Array.from({ length: writers + 1 }, (_, i) => i + 2));
    expect(new UsageLedger(db).verify()).toMatchObject({ ok: true, count: writers + 2 });
  }, 60_000);
});
