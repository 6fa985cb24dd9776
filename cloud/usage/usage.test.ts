import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchAnswerSchema, checkSignedDocument, ServerTimePayloadSchema } from '../../shared/cloud/index.ts';
import { createOrganisation, hashRecord, OutcomeChain, publishFixture, startTestCloud, TestMachine, UsageChain, type TestCloud } from '../test-support.ts';
import type { UsageRecord } from '../../shared/cloud/index.ts';

let cloud: TestCloud;
let templateId: string;

beforeAll(async () => {
  cloud = await startTestCloud();
  ({ templateId } = await publishFixture(cloud, { publisher: 'acme' }));
});
afterAll(async () => {
  await cloud?.close();
});

async function machine() {
  const organisation = await createOrganisation(cloud);
  return TestMachine.activate(cloud, organisation.activationCode);
}

const HOUR = 3_600_000;
const start = Date.UTC(2026, 4, 1);
let batchCounter = 0;
const batch = (records: unknown[], batchId = `batch-${++batchCounter}-${Date.now()}`) => ({ batchId, records });
const countRecords = async (machineId: string) =>
  (await cloud.db.query<{ n: number }>('SELECT count(*) AS n FROM usage_records WHERE machine_id = $1', [machineId]))[0]!.n;

describe('usage ingestion', () => {
  it('stores each record once whatever the retries, and answers with the highest sequence and a signed time', async () => {
    const pc = await machine();
    const chain = new UsageChain(templateId);
    const records = [0, 1, 2].map((hour) => chain.next(60, start + hour * HOUR));
    const first = await pc.request('POST', '/v1/sync/usage', batch(records, 'batch-first'));
    expect(first.status).toBe(200);
    expect(BatchAnswerSchema.parse(first.body)).toMatchObject({ stored: records.map((r) => r.recordId), duplicates: [], highestSequence: 3, headHash: chain.head });
    const time = checkSignedDocument(first.body.serverTime, 'server-time', ServerTimePayloadSchema, cloud.keys.checker);
    expect(time).toMatchObject({ status: 'valid', payload: { machineId: pc.id } });

    // The answer was lost: the same batch again stores nothing and says the same.
    const retry = await pc.request('POST', '/v1/sync/usage', batch(records, 'batch-first'));
    expect(retry.body).toMatchObject({ stored: [], duplicates: records.map((r) => r.recordId), highestSequence: 3 });
    // A later batch overlapping the first (the app re-read its outbox) stores only what is new.
    const more = [3, 4].map((hour) => chain.next(60, start + hour * HOUR));
    const overlap = await pc.request('POST', '/v1/sync/usage', batch([...records.slice(1), ...more]));
    expect(overlap.body).toMatchObject({ stored: more.map((r) => r.recordId), duplicates: records.slice(1).map((r) => r.recordId), highestSequence: 5 });
    expect(await countRecords(pc.id)).toBe(5);

    const state = await pc.request('GET', '/v1/sync/usage/state');
    expect(state.body).toMatchObject({ highestSequence: 5, headHash: chain.head });
  });

  it('stores records once when the same batch arrives many times at once', async () => {
    const pc = await machine();
    const chain = new UsageChain(templateId);
    const records = Array.from({ length: 20 }, (_, hour) => chain.next(30, start + hour * HOUR));
    const sameBatch = batch(records);
    const answers = await Promise.all(Array.from({ length: 8 }, () => pc.request('POST', '/v1/sync/usage', sameBatch)));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    expect(answers.filter((a) => a.body.stored.length === 20)).toHaveLength(1);
    expect(answers.filter((a) => a.body.duplicates.length === 20)).toHaveLength(7);
    // The same records under different batch ids (two outbox workers) are stored once too.
    const next = [chain.next(30, start + 20 * HOUR)];
    const racing = await Promise.all([pc.request('POST', '/v1/sync/usage', batch(next)), pc.request('POST', '/v1/sync/usage', batch(next))]);
    expect(racing.map((a) => a.body.stored.length).sort()).toEqual([0, 1]);
    expect(await countRecords(pc.id)).toBe(21);
  });

  it('refuses a batch after a gap, saying where the cloud stands', async () => {
    const pc = await machine();
    const chain = new UsageChain(templateId);
    const records = Array.from({ length: 5 }, (_, hour) => chain.next(60, start + hour * HOUR));
    await pc.request('POST', '/v1/sync/usage', batch(records.slice(0, 2)));
    const gap = await pc.request('POST', '/v1/sync/usage', batch(records.slice(3)));
    expect(gap.status).toBe(409);
    expect(gap.body.error).toMatchObject({ code: 'sequence_gap', details: { expectedSequence: 3, highestSequence: 2 } });
    expect(await countRecords(pc.id)).toBe(2);
    expect((await pc.request('POST', '/v1/sync/usage', batch(records.slice(2)))).body.highestSequence).toBe(5);
  });

  it('detects tampering: an edited record, a changed resend, a removed record, a rewritten history', async () => {
    const pc = await machine();
    const chain = new UsageChain(templateId);
    const records = Array.from({ length: 4 }, (_, hour) => chain.next(60, start + hour * HOUR));
    await pc.request('POST', '/v1/sync/usage', batch(records.slice(0, 2)));

    // Value edited, hash left as it was.
    const edited = { ...records[2]!, value: 1 };
    const editedAnswer = await pc.request('POST', '/v1/sync/usage', batch([edited]));
    expect(editedAnswer.status).toBe(422);
    expect(editedAnswer.body.error).toMatchObject({ code: 'chain_broken', details: { highestSequence: 2, sequence: 3 } });

    // A record already held, resent with a smaller value and a hash made to match.
    const { hash: _hash, ...rest } = records[1]!;
    const rewritten = hashRecord<UsageRecord>({ ...rest, value: 1 });
    expect((await pc.request('POST', '/v1/sync/usage', batch([rewritten]))).body.error.code).toBe('chain_broken');

    // Record 3 removed and record 4 renumbered to take its place: its link points at the removed one.
    const { hash: _h4, ...fourth } = records[3]!;
    const renumbered = hashRecord<UsageRecord>({ ...fourth, sequence: 3 });
    const removed = await pc.request('POST', '/v1/sync/usage', batch([renumbered]));
    expect(removed.body.error.code).toBe('chain_broken');
    expect(removed.body.error.message).toMatch(/does not follow record 2/);

    // A whole new history for sequences already held.
    const fresh = new UsageChain(templateId);
    const replaced = await pc.request('POST', '/v1/sync/usage', batch([fresh.next(1, start)]));
    expect(replaced.body.error.message).toMatch(/held by another record/);

    expect(await countRecords(pc.id)).toBe(2);
    const incidents = await cloud.db.query<{ kind: string }>('SELECT kind FROM chain_incidents WHERE machine_id = $1', [pc.id]);
    expect(incidents.map((i) => i.kind)).toEqual(['chain_broken', 'chain_broken', 'chain_broken', 'chain_broken']);
    // The honest records still go in.
    expect((await pc.request('POST', '/v1/sync/usage', batch(records.slice(2)))).body.highestSequence).toBe(4);
  });

  it('refuses a batch id reused for other records, and malformed batches', async () => {
    const pc = await machine();
    const chain = new UsageChain(templateId);
    const one = chain.next(60, start);
    const two = chain.next(60, start + HOUR);
    await pc.request('POST', '/v1/sync/usage', batch([one], 'batch-reused'));
    const reused = await pc.request('POST', '/v1/sync/usage', batch([one, two], 'batch-reused'));
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('idempotency_conflict');

    const bad = await pc.request('POST', '/v1/sync/usage', batch([{ ...two, value: 1.5, unit: '' }]));
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(['body.records[0].unit', 'body.records[0].value']);
    const unordered = await pc.request('POST', '/v1/sync/usage', batch([two, one]));
    expect(unordered.status).toBe(400);
    expect((await pc.request('POST', '/v1/sync/usage', batch([]))).status).toBe(400);
  });

  it('keeps outcome statements in their own chain and disputes those that do not add up', async () => {
    const pc = await machine();
    const chain = new OutcomeChain(templateId);
    const day = 86_400_000;
    const honest = chain.next(1_200_000, 1_000_000, start, start + 7 * day);
    const inflated = chain.next(1_200_000, 1_000_000, start + 7 * day, start + 14 * day, { outcome: 900_000 });
    const answer = await pc.request('POST', '/v1/sync/outcomes', batch([honest, inflated]));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ stream: 'outcomes', highestSequence: 2, stored: [honest.recordId, inflated.recordId] });
    expect(answer.body.disputed).toEqual([{ recordId: inflated.recordId, reason: expect.stringMatching(/baseline minus the measured/) }]);
    // The usage stream of the same machine is separate.
    expect((await pc.request('GET', '/v1/sync/usage/state')).body.highestSequence).toBe(0);
  });
});
