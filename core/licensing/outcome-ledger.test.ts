import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH, OutcomeStatementSchema } from '../../shared/cloud/index.ts';
import { openDatabase, type Db } from '../storage/database.ts';
import { syncMigration } from '../sync/sync-schema.ts';
import { OutcomeLedger, OutcomeLedgerError, type OutcomeInput } from './outcome-ledger.ts';
import { chainedRecordHash } from './hash-chain.ts';

const DAY = 86_400_000;
const START = Date.UTC(2026, 4, 4);
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function database(): Db {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plantdesk-outcome-ledger-'));
  const db = openDatabase(dir);
  syncMigration(db);
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }), () => void db.close());
  return db;
}

const day = (index: number, expected = 90_000, measured = 72_000): OutcomeInput => ({
  templateId: 'acme.energy-watch',
  templateVersion: '2.0.0',
  metric: 'kwh-saved',
  unit: 'Wh',
  baseline: { period: { start: START, end: START + 14 * DAY }, method: 'mean-daily-baseline', value: expected },
  measured: { period: { start: START + (14 + index) * DAY, end: START + (15 + index) * DAY }, value: measured },
  clockState: 'ok',
  method: { key: 'sync.outcome.meanDailyBaseline', params: { savedKwh: ((expected - measured) / 1000).toFixed(3) } },
});

describe('outcome ledger', () => {
  it('chains statements as the cloud checks them and refuses a second statement for a day', () => {
    const db = database();
    let now = START + 20 * DAY;
    const ledger = new OutcomeLedger(db, { now: () => now++ });
    const first = ledger.append(day(0));
    const second = ledger.append(day(1, 90_000, 95_500));
    expect(first).toMatchObject({ sequence: 1, prevHash: GENESIS_HASH, outcome: 18_000 });
    expect(second).toMatchObject({ sequence: 2, prevHash: first.hash, outcome: -5_500 });
    expect(second.recordId > first.recordId).toBe(true);
    for (const statement of ledger.pending(0)) {
      expect(OutcomeStatementSchema.parse(statement)).toEqual(statement);
      expect(chainedRecordHash(statement)).toBe(statement.hash);
    }
    expect(() => ledger.append(day(1))).toThrow(OutcomeLedgerError);
    expect(ledger.head()).toEqual({ sequence: 2, hash: second.hash });
    expect(ledger.lastMeasuredEnd('acme.energy-watch', 'kwh-saved')).toBe(START + 16 * DAY);
    expect(ledger.list().map((stored) => stored.statement.sequence)).toEqual([2, 1]);
    expect(ledger.verify()).toEqual({ ok: true, count: 2, headHash: second.hash });
  });

  it('shows a statement edited or removed behind its back', () => {
    const db = database();
    const ledger = new OutcomeLedger(db);
    for (let index = 0; index < 4; index++) ledger.append(day(index));
    expect(() => db.prepare('DELETE FROM outcome_statements WHERE sequence = 2').run()).toThrow(/append-only/);
    db.exec('DROP TRIGGER outcome_statements_never_change; DROP TRIGGER outcome_statements_never_removed;');
    db.prepare("UPDATE outcome_statements SET statement = json_set(statement, '$.measured.value', 1000) WHERE sequence = 3").run();
    expect(ledger.verify()).toMatchObject({ ok: false, sequence: 3, problem: 'edited' });
    db.prepare('DELETE FROM outcome_statements WHERE sequence = 2').run();
    expect(ledger.verify()).toMatchObject({ ok: false, sequence: 2, problem: 'missing' });
    db.prepare('DELETE FROM outcome_statements WHERE sequence >= 2').run();
    expect(ledger.verify()).toMatchObject({ ok: false, sequence: 2, problem: 'missing' });
  });
});
