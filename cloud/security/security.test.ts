import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signingKeyToPem } from '../crypto/keys.ts';
import { createOrganisation, operatorClient, publishFixture, startTestCloud, TestMachine, UsageChain, type TestCloud } from '../test-support.ts';

let cloud: TestCloud;
let templateId: string;

beforeAll(async () => {
  // The log at its most talkative, to look for secrets in it.
  cloud = await startTestCloud({ logLevel: 'trace' });
  ({ templateId } = await publishFixture(cloud, { publisher: 'acme' }));
});
afterAll(async () => {
  await cloud?.close();
});

describe('rate limits', () => {
  // A server of its own with limits the tests can reach.
  let limited: TestCloud;
  let shared: TestCloud;
  beforeAll(async () => {
    limited = await startTestCloud({ rateLimit: { max: 40, windowMs: 60_000 }, activationRateLimit: { max: 3, windowMs: 60_000 } });
    // Counted in the database, as several instances on PostgreSQL count them (the default there).
    shared = await startTestCloud({ rateLimit: { max: 5, windowMs: 60_000 }, sharedRateLimits: true });
  });
  afterAll(async () => {
    await limited?.close();
    await shared?.close();
  });

  it('counts in the database when asked, so instances share one allowance', async () => {
    const ask = () => fetch(`${shared.url}/v1/keys`).then((response) => response.status);
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push(await ask());
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const [row] = await shared.db.query<{ hits: number }>('SELECT hits FROM rate_limits WHERE key = $1', ['ip:127.0.0.1']);
    expect(row?.hits).toBe(7);
  });

  it('answers 429 with Retry-After once a client passes its rate', async () => {
    const organisation = await createOrganisation(limited);
    const machine = await TestMachine.activate(limited, organisation.activationCode);
    const statuses: number[] = [];
    let refused: Awaited<ReturnType<TestMachine['request']>> | undefined;
    for (let i = 0; i < 45 && !refused; i++) {
      const answer = await machine.request('GET', '/v1/machines/me');
      statuses.push(answer.status);
      if (answer.status === 429) refused = answer;
    }
    expect(statuses.slice(0, 40).every((status) => status === 200)).toBe(true);
    expect(refused?.body.error).toMatchObject({ code: 'rate_limited', details: { limit: 40 } });
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another machine is not held back by the first.
    const other = await TestMachine.activate(limited, (await createOrganisation(limited)).activationCode);
    expect((await other.request('GET', '/v1/machines/me')).status).toBe(200);
  });

  it('limits guessing activation codes harder than anything else', async () => {
    const attempts = [];
    for (let i = 0; i < 8; i++) {
      const answer = await new TestMachine(limited.url).activate(`WRONG-CODE-${i}AAA`);
      attempts.push(answer.status);
    }
    // The two activations above count against the same address.
    expect(attempts).toEqual([403, 429, 429, 429, 429, 429, 429, 429]);
  });
});

describe('bad input', () => {
  it('refuses bodies over the limit with 413, malformed JSON and other content types with 4xx', async () => {
    const operator = operatorClient(cloud);
    const big = await fetch(`${cloud.url}/v1/operator/organisations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${cloud.operatorToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(1_100_000) }),
    });
    expect(big.status).toBe(413);
    expect(((await big.json()) as any).error.code).toBe('payload_too_large');
    const broken = await operator.request('POST', '/v1/operator/organisations', undefined, { 'content-type': 'application/json' });
    expect(broken.status).toBe(400);
    const garbled = await fetch(`${cloud.url}/v1/operator/organisations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${cloud.operatorToken}`, 'content-type': 'application/json' },
      body: '{"name": "x",',
    });
    expect(garbled.status).toBe(400);
    expect(((await garbled.json()) as any).error.message).toMatch(/not valid JSON/);
    const text = await fetch(`${cloud.url}/v1/operator/organisations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${cloud.operatorToken}`, 'content-type': 'text/plain' },
      body: 'name=x',
    });
    expect(text.status).toBe(415);
    expect(((await text.json()) as any).error.code).toBe('unsupported_media_type');
    const unknown = await fetch(`${cloud.url}/v1/nothing-here`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as any).error.code).toBe('not_found');
  });

  it('validates the body of every route, naming the fields', async () => {
    const organisation = await createOrganisation(cloud);
    const machine = await TestMachine.activate(cloud, organisation.activationCode);
    const operator = operatorClient(cloud);
    const junk = { unexpected: true };
    const answers = {
      'POST /v1/operator/organisations': await operator.request('POST', '/v1/operator/organisations', junk),
      'POST activation-codes': await operator.request('POST', `/v1/operator/organisations/${organisation.id}/activation-codes`, { validDays: 'ever' }),
      'POST users': await operator.request('POST', `/v1/operator/organisations/${organisation.id}/users`, { email: 'not an e-mail', name: 'x' }),
      'PUT plans': await operator.request('PUT', `/v1/operator/templates/${templateId}/plans`, junk),
      'POST invoices/issue': await operator.request('POST', '/v1/operator/invoices/issue', { month: '2026-13' }),
      'POST invoices/confirm': await operator.request('POST', '/v1/operator/invoices/inv_000000000000000000000000/confirm', junk),
      'GET operator/invoices': await operator.request('GET', '/v1/operator/invoices?status=lost'),
      'POST /v1/machines/activate': await new TestMachine(cloud.url).raw('POST', '/v1/machines/activate', {}, JSON.stringify(junk)),
      'POST /v1/machines/me': await machine.request('POST', '/v1/machines/me', junk),
      'POST /v1/orders': await machine.request('POST', '/v1/orders', junk),
      'POST cancel': await machine.request('POST', '/v1/entitlements/not-an-id/cancel'),
      'POST /v1/licences/refresh': await machine.request('POST', '/v1/licences/refresh', junk),
      'POST /v1/sync/usage': await machine.request('POST', '/v1/sync/usage', junk),
      'POST /v1/sync/outcomes': await machine.request('POST', '/v1/sync/outcomes', { batchId: 'b'.repeat(10), records: [{}] }),
      'GET catalogue': await machine.request('GET', '/v1/catalogue/templates?limit=many'),
      'GET template': await machine.request('GET', '/v1/catalogue/templates/NOT%20AN%20ID'),
    };
    for (const [route, answer] of Object.entries(answers)) {
      expect(answer.status, route).toBe(400);
      expect(answer.body.error.code, route).toBe('invalid_input');
      expect(answer.body.error.details.issues.length, route).toBeGreaterThan(0);
    }
  });
});

describe('organisation isolation', () => {
  it('keeps each organisation’s machines, licences, usage and invoices to itself', async () => {
    const alice = await TestMachine.activate(cloud, (await createOrganisation(cloud, 'Alice Works')).activationCode);
    const bob = await TestMachine.activate(cloud, (await createOrganisation(cloud, 'Bob Works')).activationCode);
    const aliceSubscription = await alice.request('POST', '/v1/orders', { templateId, planId: 'standard', paymentMethod: 'test' });
    await alice.request('POST', '/v1/orders', { templateId, planId: 'metered' });
    await alice.request('POST', '/v1/sync/usage', { batchId: 'alice-batch-1', records: [new UsageChain(templateId).next(60, Date.now() - 3_600_000)] });

    expect((await bob.request('POST', '/v1/licences/refresh', {})).body).toMatchObject({ licences: [], ended: [] });
    expect((await bob.request('GET', '/v1/entitlements')).body.entitlements).toEqual([]);
    expect((await bob.request('GET', '/v1/invoices')).body.invoices).toEqual([]);
    expect((await bob.request('GET', `/v1/invoices/${aliceSubscription.body.invoice.id}`)).status).toBe(404);
    expect((await bob.request('POST', `/v1/entitlements/${aliceSubscription.body.entitlement.id}/cancel`)).status).toBe(404);
    expect((await bob.request('GET', '/v1/sync/usage/state')).body.highestSequence).toBe(0);
    expect((await bob.request('GET', '/v1/organisation')).body.machines.map((m: { id: string }) => m.id)).toEqual([bob.id]);

    // Bob cannot speak for Alice's machine: the signature is checked with her machine's key.
    const impostor = Object.assign(new TestMachine(cloud.url), { id: alice.id });
    const posing = await impostor.request('POST', '/v1/sync/usage', { batchId: 'bob-as-alice', records: [new UsageChain(templateId).next(1, Date.now() - 7_200_000)] });
    expect(posing.status).toBe(401);

    // A user of Bob's organisation sees Bob's, with his token, and nothing of the operator's.
    const bobOrganisation = (await bob.request('GET', '/v1/organisation')).body.organisation.id;
    const { token } = (await operatorClient(cloud).request('POST', `/v1/operator/organisations/${bobOrganisation}/users`, { email: 'bob@bob.example', name: 'Bob' })).body;
    const asBob = (route: string) => fetch(`${cloud.url}${route}`, { headers: { authorization: `Bearer ${token}` } });
    expect((await asBob(`/v1/invoices/${aliceSubscription.body.invoice.id}`)).status).toBe(404);
    expect((await asBob('/v1/operator/organisations')).status).toBe(401);
    expect((await asBob('/operator')).status).toBe(401);
  });
});

describe('logs', () => {
  it('never carry tokens, activation codes, signatures or keys', async () => {
    const operator = operatorClient(cloud);
    const organisation = await createOrganisation(cloud, 'Log Works');
    const machine = await TestMachine.activate(cloud, organisation.activationCode);
    const user = (await operator.request('POST', `/v1/operator/organisations/${organisation.id}/users`, { email: 'log@log.example', name: 'Log' })).body.token as string;
    await fetch(`${cloud.url}/v1/organisation?token=${user}`, { headers: { authorization: `Bearer ${user}` } });
    const signed = machine.sign('GET', '/v1/machines/me', '');
    await machine.raw('GET', '/v1/machines/me', signed);
    await machine.raw('GET', '/v1/machines/me', signed); // refused as a replay: logged, without the headers
    await fetch(`${cloud.url}/operator`, { headers: { authorization: `Basic ${Buffer.from(`x:${cloud.operatorToken}`).toString('base64')}` } });
    await fetch(`${cloud.url}/operator`, { headers: { authorization: 'Basic ' + Buffer.from('x:wrong-guess-token').toString('base64') } });
    await new TestMachine(cloud.url).activate(organisation.activationCode); // a used code, refused

    const log = cloud.logs.join('\n');
    expect(log).toContain('machine activated');
    expect(log).toContain('"path":"/v1/organisation"');
    const pem = signingKeyToPem(cloud.keys.current);
    const secrets = {
      operatorToken: cloud.operatorToken,
      activationCode: organisation.activationCode,
      activationCodeBare: organisation.activationCode.replaceAll('-', ''),
      userToken: user,
      userTokenBody: user.slice(4),
      signature: signed['x-plantdesk-signature']!,
      wrongGuess: 'wrong-guess-token',
      privateKey: pem.split('\n')[1]!,
      basic: Buffer.from(`x:${cloud.operatorToken}`).toString('base64'),
    };
    for (const [name, secret] of Object.entries(secrets)) expect(log.includes(secret), `${name} appears in the log`).toBe(false);
  });
});
