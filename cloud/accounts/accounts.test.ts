import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisation, operatorClient, startTestCloud, TestMachine, type TestCloud } from '../test-support.ts';

let cloud: TestCloud;

beforeAll(async () => {
  cloud = await startTestCloud();
});
afterAll(async () => {
  for (const line of cloud?.logs ?? []) if (line.includes("request failed")) console.log(line.slice(0, 1500));
  await cloud?.close();
});

describe('activation', () => {
  it('activates a machine once per code, and the machine then signs its requests', async () => {
    const organisation = await createOrganisation(cloud, 'Ningbo Precision');
    expect(organisation.activationCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    const machine = await TestMachine.activate(cloud, organisation.activationCode.toLowerCase().replaceAll('-', ' '));
    expect(machine.organisationId).toBe(organisation.id);
    expect(machine.activation!.marketplaceKeys).toEqual([expect.objectContaining({ keyId: cloud.keys.current.keyId, status: 'current' })]);

    const me = await machine.request('GET', '/v1/machines/me');
    expect(me.status).toBe(200);
    expect(me.body.organisation.name).toBe('Ningbo Precision');

    const second = new TestMachine(cloud.url);
    const reused = await second.activate(organisation.activationCode);
    expect(reused.status).toBe(403);
    expect(reused.body.error.message).toMatch(/unknown, used already or expired/);
  });

  it('refuses an activation whose proof was not made with the key sent', async () => {
    const organisation = await createOrganisation(cloud);
    const machine = new TestMachine(cloud.url);
    const other = crypto.generateKeyPairSync('ed25519');
    // Sign the proof with a key other than the one registered.
    const response = await fetch(`${cloud.url}/v1/machines/activate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        code: organisation.activationCode,
        publicKey: machine.publicKey,
        proof: crypto.sign(null, Buffer.from('anything'), other.privateKey).toString('base64url'),
        name: 'PC',
        fingerprint: machine.fingerprint,
        appVersion: '0.1.0',
      }),
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as any).error.code).toBe('bad_signature');
    // The code was not spent by the failed attempt.
    expect((await machine.activate(organisation.activationCode)).status).toBe(201);
  });

  it('says which fields of a bad activation are wrong', async () => {
    const response = await fetch(`${cloud.url}/v1/machines/activate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: 'ABCD-EFGH', publicKey: 'short', name: '', fingerprint: {}, appVersion: 'one' }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as any;
    expect(body.error.code).toBe('invalid_input');
    const paths = body.error.details.issues.map((issue: { path: string }) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['body.publicKey', 'body.proof', 'body.name', 'body.appVersion']));
  });
});

describe('signed requests', () => {
  let machine: TestMachine;
  beforeAll(async () => {
    const organisation = await createOrganisation(cloud);
    machine = await TestMachine.activate(cloud, organisation.activationCode);
  });

  it('refuses a replayed request', async () => {
    const headers = machine.sign('GET', '/v1/machines/me', '');
    expect((await machine.raw('GET', '/v1/machines/me', headers)).status).toBe(200);
    const replay = await machine.raw('GET', '/v1/machines/me', headers);
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('replayed');
  });

  it('refuses an altered body, a request signed for another route, and a wrong key', async () => {
    const altered = await machine.request('POST', '/v1/machines/me', { name: 'Office PC' }, { sentBody: '{"name":"Evil PC"}' });
    expect(altered.status).toBe(401);
    expect(altered.body.error.code).toBe('bad_signature');

    const renamed = await machine.request('POST', '/v1/machines/me', { name: 'Office PC' });
    expect(renamed.body).toEqual({ id: machine.id, name: 'Office PC' });

    const headers = machine.sign('GET', '/v1/organisation', '');
    const moved = await machine.raw('GET', '/v1/machines/me', headers);
    expect(moved.body.error.code).toBe('bad_signature');

    const wrongKey = await machine.request('GET', '/v1/machines/me', undefined, { key: crypto.generateKeyPairSync('ed25519').privateKey });
    expect(wrongKey.status).toBe(401);
    expect(wrongKey.body.error.code).toBe('bad_signature');
  });

  it('refuses a clock more than five minutes off, either way, and says the server time', async () => {
    for (const offset of [-6 * 60_000, 6 * 60_000]) {
      const skewed = await machine.request('GET', '/v1/machines/me', undefined, { timestamp: Date.now() + offset });
      expect(skewed.status).toBe(401);
      expect(skewed.body.error.code).toBe('clock_skew');
      expect(Math.abs(skewed.body.error.details.serverTime - Date.now())).toBeLessThan(10_000);
    }
    expect((await machine.request('GET', '/v1/machines/me', undefined, { timestamp: Date.now() - 4 * 60_000 })).status).toBe(200);
  });

  it('refuses unsigned requests and revoked machines', async () => {
    const unsigned = await fetch(`${cloud.url}/v1/machines/me`);
    expect(unsigned.status).toBe(401);
    const revoked = await operatorClient(cloud).request('POST', `/v1/operator/machines/${machine.id}/revoke`);
    expect(revoked.status).toBe(200);
    const after = await machine.request('GET', '/v1/machines/me');
    expect(after.status).toBe(401);
    expect(after.body.error.message).toMatch(/not activated/);
  });
});

describe('operator access', () => {
  it('needs the operator token', async () => {
    const none = await fetch(`${cloud.url}/v1/operator/organisations`);
    expect(none.status).toBe(401);
    const wrong = await fetch(`${cloud.url}/v1/operator/organisations`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    const right = await operatorClient(cloud).request('GET', '/v1/operator/organisations');
    expect(right.status).toBe(200);
  });

  it('gives users a token shown once', async () => {
    const organisation = await createOrganisation(cloud);
    const created = await operatorClient(cloud).request('POST', `/v1/operator/organisations/${organisation.id}/users`, { email: 'Li.Wei@example.cn', name: 'Li Wei', role: 'admin' });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^pdu_/);
    const me = await fetch(`${cloud.url}/v1/organisation`, { headers: { authorization: `Bearer ${created.body.token}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as any).organisation.id).toBe(organisation.id);
    const again = await operatorClient(cloud).request('POST', `/v1/operator/organisations/${organisation.id}/users`, { email: 'li.wei@example.cn', name: 'Li' });
    expect(again.status).toBe(409);
  });
});
