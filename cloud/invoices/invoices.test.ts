import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvoiceSchema } from '../../shared/cloud/index.ts';
import { createOrganisation, operatorClient, OutcomeChain, publishFixture, startTestCloud, TestMachine, UsageChain, type TestCloud } from '../test-support.ts';
import { priceOf } from './invoices.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** 10 May 2026, 00:00 in China. */
const MAY_10 = Date.UTC(2026, 4, 9, 16);
let clock = MAY_10;

let cloud: TestCloud;
let templateId: string;

beforeAll(async () => {
  cloud = await startTestCloud({ now: () => clock });
  ({ templateId } = await publishFixture(cloud, { publisher: 'acme' }));
});
afterAll(async () => {
  await cloud?.close();
});

async function customer(name: string) {
  const organisation = await createOrganisation(cloud, name);
  const machine = new TestMachine(cloud.url);
  machine.now = () => clock;
  await machine.activate(organisation.activationCode);
  return machine;
}

let batches = 0;
const post = (machine: TestMachine, stream: 'usage' | 'outcomes', records: unknown[]) =>
  machine.request('POST', `/v1/sync/${stream}`, { batchId: `invoice-test-${++batches}`, records });

describe('rounding', () => {
  it('prices in whole fen, half up', () => {
    expect(priceOf(61, 5, 60)).toBe(5); // 5.083
    expect(priceOf(66, 5, 60)).toBe(6); // 5.5
    expect(priceOf(123_456, 80, 1000, 2500)).toBe(2469); // 2469.12
    expect(priceOf(Number.MAX_SAFE_INTEGER, 1, 1)).toBe(Number.MAX_SAFE_INTEGER);
  });
});

describe('monthly invoices', () => {
  it('bills pay-after-use and pay-for-results per organisation with line items, once, and late records next month', async () => {
    const works = await customer('Suzhou Works');
    const other = await customer('Other Works');
    expect((await works.request('POST', '/v1/orders', { templateId, planId: 'metered' })).status).toBe(201);
    await works.request('POST', '/v1/orders', { templateId, planId: 'results' });
    await other.request('POST', '/v1/orders', { templateId, planId: 'metered' });

    // Twenty hours of running in May, an hour of another (unbilled) meter, and a week's energy saving.
    clock = MAY_10 + 5 * DAY;
    const usage = new UsageChain(templateId);
    const hours = Array.from({ length: 20 }, (_, hour) => usage.next(45, MAY_10 + DAY + hour * HOUR));
    const otherMeter = usage.next(999, MAY_10 + 2 * DAY, MAY_10 + 2 * DAY + HOUR, { meter: 'spindle-starts', unit: 'count' });
    expect((await post(works, 'usage', [...hours, otherMeter])).status).toBe(200);
    const outcomes = new OutcomeChain(templateId);
    const saving = outcomes.next(1_500_000, 1_276_544, MAY_10 + DAY, MAY_10 + 8 * DAY);
    const inflated = outcomes.next(1_500_000, 1_400_000, MAY_10 + 8 * DAY, MAY_10 + 9 * DAY, { outcome: 500_000 });
    expect((await post(works, 'outcomes', [saving, inflated])).body.disputed).toHaveLength(1);
    const theirs = new UsageChain(templateId);
    await post(other, 'usage', [theirs.next(600, MAY_10 + DAY)]);

    const operator = operatorClient(cloud);
    const early = await operator.request('POST', '/v1/operator/invoices/issue', { month: '2026-05' });
    expect(early.status).toBe(409);
    expect(early.body.error.message).toMatch(/not over yet/);

    clock = Date.UTC(2026, 5, 2);
    const issued = await operator.request('POST', '/v1/operator/invoices/issue', { month: '2026-05' });
    expect(issued.status).toBe(200);
    expect(issued.body.invoices).toHaveLength(2);
    const mine = InvoiceSchema.parse(issued.body.invoices.find((invoice: { organisationId: string }) => invoice.organisationId === works.organisationId));
    expect(mine).toMatchObject({ kind: 'monthly', month: '2026-05', status: 'open', paymentMethod: 'bank_transfer' });
    expect(mine.lines).toEqual([
      expect.objectContaining({ quantity: 900, unit: 'min', unitPrice: { amount: 5, per: 60 }, amount: 75 }),
      // 223,456 Wh saved at 0.80 CNY/kWh, a 25 % share: 44.69 CNY. The disputed statement is not billed.
      expect.objectContaining({ quantity: 223_456, unit: 'Wh', unitPrice: { amount: 80, per: 1000 }, amount: 4469 }),
    ]);
    expect(mine.total).toBe(75 + 4469);
    const theirsInvoice = issued.body.invoices.find((invoice: { organisationId: string }) => invoice.organisationId === other.organisationId);
    expect(theirsInvoice.lines).toEqual([expect.objectContaining({ quantity: 600, amount: 50 })]);

    // Each organisation sees its own invoice only.
    expect((await works.request('GET', '/v1/invoices')).body.invoices.map((i: { id: string }) => i.id)).toEqual([mine.id]);
    expect((await other.request('GET', `/v1/invoices/${mine.id}`)).status).toBe(404);

    // Issuing again changes nothing.
    const again = await operator.request('POST', '/v1/operator/invoices/issue', { month: '2026-05', organisationId: works.organisationId });
    expect(again.body.invoices).toEqual([expect.objectContaining({ id: mine.id, total: mine.total })]);

    // A machine that was offline sends May's last hours in June: they go on June's invoice.
    await post(works, 'usage', [usage.next(60, Date.UTC(2026, 4, 31, 14), Date.UTC(2026, 4, 31, 15))]);
    clock = Date.UTC(2026, 6, 3);
    const june = await operator.request('POST', '/v1/operator/invoices/issue', { month: '2026-06', organisationId: works.organisationId });
    expect(june.body.invoices).toHaveLength(1);
    expect(june.body.invoices[0].lines).toEqual([expect.objectContaining({ quantity: 60, amount: 5 })]);

    // Paid by bank transfer, confirmed by the operator.
    const paid = await operator.request('POST', `/v1/operator/invoices/${mine.number}/confirm`, { reference: 'transfer 0602' });
    expect(paid.body).toMatchObject({ status: 'paid' });
  });
});
