// Publishing the shipped templates to a real cloud over HTTP: the publisher organisation is made once,
// the four packages are signed by the cloud's marketplace key, their plans are set from plans.json,
// the catalogue lists them, a second run changes nothing, and the downloaded packages verify.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKey, Keyring } from '../cloud/crypto/keys.ts';
import { operatorClient, startTestCloud, type TestCloud } from '../cloud/test-support.ts';
import { verifyPackage } from '../core/templates/verify-package.ts';
import { APP_VERSION } from '../core/version.ts';
import { ROOT } from './build-templates.ts';
import { publishTemplates, PUBLISHER_ID } from './publish-templates.ts';

const TEMPLATE_IDS = ['plantdesk.air-compressor', 'plantdesk.cnc-oee', 'plantdesk.energy-meter', 'plantdesk.injection-moulding'];
const marketplace = new Keyring(generateSigningKey());
let cloud: TestCloud;

beforeAll(async () => {
  cloud = await startTestCloud({ keys: marketplace });
});
afterAll(async () => {
  await cloud.close();
});

describe('publishing the shipped templates', () => {
  it('makes the publisher, publishes the four packages with their plans, and a second run changes nothing', async () => {
    const first = await publishTemplates({ cloudUrl: cloud.url, operatorToken: cloud.operatorToken, organisationName: 'PlantDesk Templates' });
    expect(first.map((result) => [result.templateId, result.package])).toEqual(TEMPLATE_IDS.map((id) => [id, 'published']));
    const operator = operatorClient(cloud);
    const organisations = (await operator.request('GET', '/v1/operator/organisations')).body.organisations as { name: string; publisherId: string }[];
    expect(organisations.filter((organisation) => organisation.publisherId === PUBLISHER_ID).map((organisation) => organisation.name)).toEqual(['PlantDesk Templates']);

    const listing = (await operator.request('GET', '/v1/catalogue/templates')).body as { templates: { id: string; categories: string[]; plans: { kind: string }[]; latest: { version: string } }[] };
    expect(listing.templates.map((entry) => entry.id).sort()).toEqual(TEMPLATE_IDS);
    const energy = listing.templates.find((entry) => entry.id === 'plantdesk.energy-meter')!;
    expect(energy.plans.map((plan) => plan.kind)).toEqual(['trial', 'subscription', 'pay_after_use', 'pay_for_results']);
    expect(energy.categories).toContain('energy');

    const second = await publishTemplates({ cloudUrl: cloud.url, operatorToken: cloud.operatorToken });
    expect(second.map((result) => result.package)).toEqual(['exists', 'exists', 'exists', 'exists']);
    const again = (await operator.request('GET', '/v1/operator/organisations')).body.organisations as { publisherId: string }[];
    expect(again.filter((organisation) => organisation.publisherId === PUBLISHER_ID)).toHaveLength(1);
  });

  it('serves packages signed by the marketplace key, which the app verifies', async () => {
    for (const id of TEMPLATE_IDS) {
      const response = await fetch(`${cloud.url}/v1/catalogue/templates/${id}/versions/1.0.0/package`);
      expect(response.status).toBe(200);
      const pkg = await verifyPackage(Buffer.from(await response.arrayBuffer()), { trustedKeys: marketplace.publicKeys(), appVersion: APP_VERSION });
      expect(pkg.manifest.id).toBe(id);
      expect(pkg.signature.keyId).toBe(marketplace.current.keyId);
    }
  });

  it('runs from the command line and says what it did', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['scripts/publish-templates.ts', '--cloud', cloud.url, '--operator-token', cloud.operatorToken], { cwd: ROOT });
    expect(stdout).toContain('plantdesk.energy-meter 1.0.0: already published (a published version never changes: raise the version in its manifest.json to publish changes); plans trial, subscription, pay-after-use, pay-for-results');
  });

  it('names the cloud and the next step when it cannot be reached, or the token is wrong', async () => {
    await expect(publishTemplates({ cloudUrl: 'http://127.0.0.1:9', operatorToken: 'x' })).rejects.toThrow(/Cannot reach the cloud at http:\/\/127.0.0.1:9/);
    await expect(publishTemplates({ cloudUrl: cloud.url, operatorToken: 'wrong' })).rejects.toThrow(/Listing the organisations failed \(HTTP 401\)/);
  });
});
