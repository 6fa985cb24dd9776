import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  base64urlDecode,
  base64urlEncode,
  checkSignedDocument,
  LicencePayloadSchema,
  ServerTimePayloadSchema,
  utf8Decode,
  utf8Encode,
  type SignatureChecker,
} from '../../shared/cloud/index.ts';
import { publicKeyFromRaw, verifyEd25519 } from '../crypto/keys.ts';
import { createOrganisation, operatorClient, publishFixture, startTestCloud, testFingerprint, TestMachine, type TestCloud } from '../test-support.ts';

let cloud: TestCloud;
let templateId: string;
let checker: SignatureChecker;

beforeAll(async () => {
  cloud = await startTestCloud();
  ({ templateId } = await publishFixture(cloud, { publisher: 'acme' }));
  // The app knows the marketplace's public keys, nothing more.
  const { keys } = (await (await fetch(`${cloud.url}/v1/keys`)).json()) as { keys: { keyId: string; publicKey: string }[] };
  checker = (keyId, message, signature) => {
    const key = keys.find((candidate) => candidate.keyId === keyId);
    return key ? (verifyEd25519(publicKeyFromRaw(key.publicKey)!, message, signature) ? 'valid' : 'invalid') : 'unknown_key';
  };
});
afterAll(async () => {
  await cloud?.close();
});

const verify = (line: string) => checkSignedDocument(line, 'licence', LicencePayloadSchema, checker);

describe('licences', () => {
  it('issues one verifiable licence per entitlement in force, bound to the machine', async () => {
    const organisation = await createOrganisation(cloud);
    const machine = await TestMachine.activate(cloud, organisation.activationCode);
    await machine.request('POST', '/v1/orders', { templateId, planId: 'trial' });
    await machine.request('POST', '/v1/orders', { templateId, planId: 'metered' });
    await machine.request('POST', '/v1/orders', { templateId, planId: 'standard' }); // not paid: no licence

    const refresh = await machine.request('POST', '/v1/licences/refresh', {});
    expect(refresh.status).toBe(200);
    // The trial gave way to pay-after-use when it was enabled.
    expect(refresh.body.licences).toHaveLength(1);
    expect(refresh.body.ended).toHaveLength(1);
    const check = verify(refresh.body.licences[0]);
    expect(check.status).toBe('valid');
    if (check.status !== 'valid') return;
    const licence = check.payload;
    expect(licence.machine).toEqual({ id: machine.id, publicKey: machine.publicKey, fingerprint: machine.fingerprint });
    expect(licence).toMatchObject({ organisationId: organisation.id, plan: 'pay_after_use', template: { id: templateId, planId: 'metered' }, validUntil: null });
    expect(licence.limits).toMatchObject({ meter: 'machine-hours', creditLimit: 50_000, unitPrice: { amount: 5, per: 60 }, maxUnreportedUnits: 600_000 });
    expect(licence.leaseExpiresAt - licence.issuedAt).toBe(30 * 86_400_000);
    expect(Math.abs(licence.serverTime - Date.now())).toBeLessThan(10_000);

    const time = checkSignedDocument(refresh.body.serverTime, 'server-time', ServerTimePayloadSchema, checker);
    expect(time).toMatchObject({ status: 'valid', payload: { machineId: machine.id } });
    // A signed server time is no licence, even though the same key signed it.
    expect(verify(refresh.body.serverTime)).toEqual({ status: 'bad', reason: 'wrong_kind' });
  });

  it('gives each machine its own licence; one edited to fit another machine no longer verifies', async () => {
    const organisation = await createOrganisation(cloud);
    const first = await TestMachine.activate(cloud, organisation.activationCode);
    const secondCode = (await operatorClient(cloud).request('POST', `/v1/operator/organisations/${organisation.id}/activation-codes`, {})).body
      .activationCode;
    const second = await TestMachine.activate(cloud, secondCode);
    await first.request('POST', '/v1/orders', { templateId, planId: 'standard', paymentMethod: 'test' });

    const [a] = (await first.request('POST', '/v1/licences/refresh', {})).body.licences;
    const [b] = (await second.request('POST', '/v1/licences/refresh', {})).body.licences;
    const payloadA = verify(a);
    const payloadB = verify(b);
    if (payloadA.status !== 'valid' || payloadB.status !== 'valid') throw new Error('licences must verify');
    expect(payloadA.payload.entitlementId).toBe(payloadB.payload.entitlementId);
    expect(payloadA.payload.licenceId).not.toBe(payloadB.payload.licenceId);
    expect(payloadB.payload.machine.publicKey).toBe(second.publicKey);

    // Rewrite the first machine's licence for the second: the signature no longer holds.
    const [kind, payload, signature] = (a as string).split('.');
    const edited = JSON.parse(utf8Decode(base64urlDecode(payload!)!)!);
    edited.machine = payloadB.payload.machine;
    const forged = `${kind}.${base64urlEncode(utf8Encode(JSON.stringify(edited)))}.${signature}`;
    expect(verify(forged)).toEqual({ status: 'bad', reason: 'signature' });

    // The lease renews at each sync: the same licence id, a later issue.
    const [again] = (await first.request('POST', '/v1/licences/refresh', {})).body.licences;
    const renewed = verify(again);
    if (renewed.status !== 'valid') throw new Error('must verify');
    expect(renewed.payload.licenceId).toBe(payloadA.payload.licenceId);
    expect(renewed.payload.issuedAt).toBeGreaterThanOrEqual(payloadA.payload.issuedAt);
  });

  it('lists ended entitlements so the app drops their licences', async () => {
    const organisation = await createOrganisation(cloud);
    const machine = await TestMachine.activate(cloud, organisation.activationCode);
    const order = await machine.request('POST', '/v1/orders', { templateId, planId: 'results' });
    expect((await machine.request('POST', '/v1/licences/refresh', {})).body.licences).toHaveLength(1);
    await machine.request('POST', `/v1/entitlements/${order.body.entitlement.id}/cancel`);
    const after = (await machine.request('POST', '/v1/licences/refresh', {})).body;
    expect(after.licences).toEqual([]);
    expect(after.ended).toEqual([order.body.entitlement.id]);
  });

  it('follows a PC whose parts change a little, and refuses one that changed a lot', async () => {
    const organisation = await createOrganisation(cloud);
    const machine = await TestMachine.activate(cloud, organisation.activationCode);
    await machine.request('POST', '/v1/orders', { templateId, planId: 'trial' });
    const newCard = structuredClone(machine.fingerprint);
    newCard.components.nic = testFingerprint('other').components.nic!;
    newCard.hash = testFingerprint('x').hash;
    const moved = await machine.request('POST', '/v1/licences/refresh', { fingerprint: newCard });
    expect(moved.status).toBe(200);
    const check = verify(moved.body.licences[0]);
    expect(check.status === 'valid' && check.payload.machine.fingerprint).toEqual(newCard);

    const otherPc = await machine.request('POST', '/v1/licences/refresh', { fingerprint: testFingerprint('another pc') });
    expect(otherPc.status).toBe(403);
    expect(otherPc.body.error.details.reason).toBe('fingerprint_mismatch');
  });
});
