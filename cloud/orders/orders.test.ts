import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderResponseSchema } from '../../shared/cloud/index.ts';
import { createOrganisation, operatorClient, publishFixture, startTestCloud, TestMachine, type TestCloud } from '../test-support.ts';

let cloud: TestCloud;
let templateId: string;

beforeAll(async () => {
  cloud = await startTestCloud();
  ({ templateId } = await publishFixture(cloud, { publisher: 'acme' }));
});
afterAll(async () => {
  await cloud?.close();
});

async function customer(name = 'Customer Works') {
  const organisation = await createOrganisation(cloud, name);
  return TestMachine.activate(cloud, organisation.activationCode);
}

const DAY = 86_400_000;

describe('orders and entitlements', () => {
  it('starts a trial once per organisation, ever', async () => {
    const machine = await customer();
    const trial = await machine.request('POST', '/v1/orders', { templateId, planId: 'trial' });
    expect(trial.status).toBe(201);
    expect(OrderResponseSchema.parse(trial.body)).toBeTruthy();
    expect(trial.body.entitlement).toMatchObject({ kind: 'trial', status: 'active' });
    expect(trial.body.entitlement.validUntil - trial.body.entitlement.validFrom).toBe(14 * DAY);
    expect(trial.body.invoice).toBeNull();

    expect((await machine.request('POST', '/v1/orders', { templateId, planId: 'trial' })).status).toBe(409);
    const cancelled = await machine.request('POST', `/v1/entitlements/${trial.body.entitlement.id}/cancel`);
    expect(cancelled.body.status).toBe('cancelled');
    const again = await machine.request('POST', '/v1/orders', { templateId, planId: 'trial' });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/trial/);
  });

  it('subscribes by bank transfer: an open invoice, then active once the operator confirms the payment; renews the same way', async () => {
    const machine = await customer();
    await machine.request('POST', '/v1/orders', { templateId, planId: 'trial' });
    const order = await machine.request('POST', '/v1/orders', { templateId, planId: 'standard', period: 'monthly' });
    expect(order.status).toBe(201);
    expect(order.body.entitlement).toMatchObject({ kind: 'subscription', period: 'monthly', status: 'pending_payment', validFrom: null });
    const invoice = order.body.invoice;
    expect(invoice).toMatchObject({ kind: 'order', status: 'open', total: 29_900, paymentMethod: 'bank_transfer' });
    expect(invoice.number).toMatch(/^PD-\d{4}-\d{6}$/);
    expect(invoice.paymentInstructions.reference).toBe(invoice.number);
    expect(invoice.lines).toEqual([expect.objectContaining({ quantity: 1, unit: 'month', amount: 29_900, templateId })]);

    const operator = operatorClient(cloud);
    const open = await operator.request('GET', '/v1/operator/invoices?status=open');
    expect(open.body.invoices.map((i: { id: string }) => i.id)).toContain(invoice.id);
    const confirmed = await operator.request('POST', `/v1/operator/invoices/${invoice.number}/confirm`, { reference: 'ICBC 2026-05-03 #8841' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.status).toBe('paid');
    expect((await operator.request('POST', `/v1/operator/invoices/${invoice.id}/confirm`, {})).status).toBe(409);

    const { entitlements } = (await machine.request('GET', '/v1/entitlements')).body;
    const subscription = entitlements.find((e: { kind: string }) => e.kind === 'subscription');
    expect(subscription.status).toBe('active');
    expect(subscription.validUntil - subscription.validFrom).toBeGreaterThanOrEqual(28 * DAY);
    expect(subscription.validUntil - subscription.validFrom).toBeLessThanOrEqual(31 * DAY);
    // The trial gave way to the subscription.
    expect(entitlements.find((e: { kind: string }) => e.kind === 'trial').status).toBe('superseded');

    // Ordering it again renews it: one more period, paid in advance, added to the end of the paid time.
    const renewal = await machine.request('POST', '/v1/orders', { templateId, planId: 'standard', period: 'yearly' });
    expect(renewal.status).toBe(201);
    expect(renewal.body.entitlement).toMatchObject({ id: subscription.id, status: 'active', validUntil: subscription.validUntil });
    expect(renewal.body.invoice).toMatchObject({ status: 'open', total: 299_000, lines: [expect.objectContaining({ unit: 'year' })] });
    const twice = await machine.request('POST', '/v1/orders', { templateId, planId: 'standard' });
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toContain(renewal.body.invoice.number);
    await operator.request('POST', `/v1/operator/invoices/${renewal.body.invoice.id}/confirm`, {});
    const renewed = (await machine.request('GET', '/v1/entitlements')).body.entitlements.find((e: { id: string }) => e.id === subscription.id);
    expect(renewed.period).toBe('yearly');
    expect(renewed.validUntil - subscription.validUntil).toBeGreaterThanOrEqual(365 * DAY);
    expect(renewed.validUntil - subscription.validUntil).toBeLessThanOrEqual(366 * DAY);
  });

  it('subscribes through the test provider, which confirms at once, and keeps the paid year after cancelling', async () => {
    const machine = await customer();
    const order = await machine.request('POST', '/v1/orders', { templateId, planId: 'standard', period: 'yearly', paymentMethod: 'test' });
    expect(order.body.invoice).toMatchObject({ status: 'paid', total: 299_000 });
    expect(order.body.entitlement).toMatchObject({ status: 'active' });
    expect(order.body.entitlement.validUntil - order.body.entitlement.validFrom).toBeGreaterThanOrEqual(365 * DAY);
    const cancelled = await machine.request('POST', `/v1/entitlements/${order.body.entitlement.id}/cancel`);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', validUntil: order.body.entitlement.validUntil });
    expect((await machine.request('POST', `/v1/entitlements/${order.body.entitlement.id}/cancel`)).status).toBe(409);
  });

  it('answers an order sent again with the same key (its answer lost) as the first time, placing and invoicing nothing more', async () => {
    const machine = await customer();
    const body = { templateId, planId: 'standard', period: 'monthly', paymentMethod: 'bank_transfer' };
    const key = { headers: { 'idempotency-key': 'order-dialog-0001' } };
    const first = await machine.request('POST', '/v1/orders', body, key);
    expect(first.status).toBe(201);
    const again = await machine.request('POST', '/v1/orders', body, key);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const entitlements = (await machine.request('GET', '/v1/entitlements')).body.entitlements;
    expect(entitlements).toHaveLength(1);
    const invoices = (await machine.request('GET', '/v1/invoices')).body.invoices;
    expect(invoices).toHaveLength(1);
    // The same key with another order is refused; a bad key is named.
    const other = await machine.request('POST', '/v1/orders', { ...body, period: 'yearly' }, key);
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('idempotency_conflict');
    const bad = await machine.request('POST', '/v1/orders', body, { headers: { 'idempotency-key': 'x' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('headers.idempotency-key');
  });

  it('enables pay-after-use and pay-for-results at once, invoiced later, and ends them on cancel', async () => {
    const machine = await customer();
    const metered = await machine.request('POST', '/v1/orders', { templateId, planId: 'metered' });
    expect(metered.body.entitlement).toMatchObject({ kind: 'pay_after_use', status: 'active', validUntil: null });
    expect(metered.body.invoice).toBeNull();
    const results = await machine.request('POST', '/v1/orders', { templateId, planId: 'results' });
    expect(results.body.entitlement).toMatchObject({ kind: 'pay_for_results', status: 'active' });
    expect((await machine.request('POST', '/v1/orders', { templateId, planId: 'metered' })).status).toBe(409);
    const cancelled = await machine.request('POST', `/v1/entitlements/${metered.body.entitlement.id}/cancel`);
    expect(cancelled.body.status).toBe('cancelled');
    expect(cancelled.body.validUntil).toBeLessThanOrEqual(Date.now());
    // Cancelled, it may be enabled again.
    expect((await machine.request('POST', '/v1/orders', { templateId, planId: 'metered' })).status).toBe(201);
  });

  it('voids the invoice of a subscription cancelled before payment', async () => {
    const machine = await customer();
    const order = await machine.request('POST', '/v1/orders', { templateId, planId: 'standard' });
    await machine.request('POST', `/v1/entitlements/${order.body.entitlement.id}/cancel`);
    const invoice = await machine.request('GET', `/v1/invoices/${order.body.invoice.id}`);
    expect(invoice.body.status).toBe('void');
    expect((await operatorClient(cloud).request('POST', `/v1/operator/invoices/${order.body.invoice.id}/confirm`, {})).status).toBe(409);
  });

  it('says clearly what is wrong with an order', async () => {
    const machine = await customer();
    expect((await machine.request('POST', '/v1/orders', { templateId, planId: 'gold' })).body.error.message).toMatch(/no price plan gold/);
    expect((await machine.request('POST', '/v1/orders', { templateId: 'acme.nothing', planId: 'trial' })).status).toBe(404);
    const period = await machine.request('POST', '/v1/orders', { templateId, planId: 'metered', period: 'monthly' });
    expect(period.status).toBe(400);
    const missing = await machine.request('POST', '/v1/orders', { planId: 'trial', extra: 1 });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.issues.map((issue: { path: string }) => issue.path)).toEqual(expect.arrayContaining(['body.templateId']));
  });

  it('lets a user of the organisation order with an API token', async () => {
    const organisation = await createOrganisation(cloud, 'Token Works');
    const { token } = (await operatorClient(cloud).request('POST', `/v1/operator/organisations/${organisation.id}/users`, { email: 'buyer@token.example', name: 'Buyer' })).body;
    const response = await fetch(`${cloud.url}/v1/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ templateId, planId: 'trial' }),
    });
    expect(response.status).toBe(201);
  });
});

describe('organisation isolation', () => {
  it('shows an organisation nothing of another, and lets it change nothing of another', async () => {
    const alice = await customer('Alice Works');
    const bob = await customer('Bob Works');
    const aliceOrder = await alice.request('POST', '/v1/orders', { templateId, planId: 'standard' });
    await alice.request('POST', '/v1/orders', { templateId, planId: 'metered' });

    expect((await bob.request('GET', '/v1/entitlements')).body.entitlements).toEqual([]);
    expect((await bob.request('GET', '/v1/invoices')).body.invoices).toEqual([]);
    const peek = await bob.request('GET', `/v1/invoices/${aliceOrder.body.invoice.id}`);
    expect(peek.status).toBe(404);
    const cancel = await bob.request('POST', `/v1/entitlements/${aliceOrder.body.entitlement.id}/cancel`);
    expect(cancel.status).toBe(404);
    expect((await alice.request('GET', '/v1/entitlements')).body.entitlements.map((e: { status: string }) => e.status)).toEqual(['pending_payment', 'active']);
    const bobOrganisation = (await bob.request('GET', '/v1/organisation')).body;
    expect(bobOrganisation.machines.map((m: { id: string }) => m.id)).toEqual([bob.id]);
  });
});
